package io.chorus.chat.internal;

import static io.chorus.chat.MemberRole.ADMIN;
import static io.chorus.chat.MemberRole.MEMBER;
import static io.chorus.chat.MemberRole.OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.chat.ConversationKind;
import io.chorus.chat.MemberRole;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The role rules of groups as a matrix, without a database. */
class GroupPermissionsTest {

    private static final UUID OWNER_ID = new UUID(0, 1);
    private static final UUID TARGET_ID = new UUID(0, 2);

    @ParameterizedTest(name = "{0} may remove {1}: {2}")
    @CsvSource({
            "OWNER,  OWNER,  false",
            "OWNER,  ADMIN,  true",
            "OWNER,  MEMBER, true",
            "ADMIN,  OWNER,  false",
            "ADMIN,  ADMIN,  false",
            "ADMIN,  MEMBER, true",
            "MEMBER, OWNER,  false",
            "MEMBER, ADMIN,  false",
            "MEMBER, MEMBER, false"})
    void whoMayRemoveWhom(MemberRole remover, MemberRole target, boolean allowed) {
        assertThat(GroupPermissions.mayRemove(remover, target)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} leaving a group of {1} must hand over first: {2}")
    @CsvSource({
            "OWNER,  2, true",
            "OWNER,  1, false",
            "ADMIN,  2, false",
            "MEMBER, 5, false"})
    void onlyAnOwnerWithOthersLeftMustHandOver(MemberRole leaver, int memberCount, boolean mustHandOver) {
        assertThat(GroupPermissions.mustHandOverBeforeLeaving(leaver, memberCount)).isEqualTo(mustHandOver);
    }

    @ParameterizedTest
    @EnumSource(MemberRole.class)
    void ownersAndAdminsManageOnlyTheOwnerChangesRolesAndArchives(MemberRole role) {
        assertThat(GroupPermissions.mayManage(role)).isEqualTo(role != MEMBER);
        assertThat(GroupPermissions.mayChangeRoles(role)).isEqualTo(role == OWNER);
        assertThat(GroupPermissions.mayArchive(role)).isEqualTo(role == OWNER);
    }

    @ParameterizedTest(name = "{1} in a {0} may mention @all: {2}")
    @CsvSource({
            "GROUP,      OWNER,  true",
            "GROUP,      ADMIN,  true",
            "GROUP,      MEMBER, false",
            "DEPARTMENT, ADMIN,  true",
            "DEPARTMENT, MEMBER, false",
            "DIRECT,     MEMBER, false",
            "DIRECT,     OWNER,  false"})
    void atAllAndRecallingOthersBelongToThoseWhoManageAGroup(ConversationKind kind, MemberRole role,
            boolean allowed) {
        assertThat(GroupPermissions.mayMentionAll(kind, role)).isEqualTo(allowed);
        assertThat(GroupPermissions.mayRecallOthers(kind, role)).isEqualTo(allowed);
    }

    @Test
    void promotingAMemberChangesOnlyTheirRole() {
        assertThat(GroupPermissions.roleChanges(OWNER_ID, TARGET_ID, MEMBER, ADMIN))
                .containsExactly(Map.entry(TARGET_ID, ADMIN));
    }

    @Test
    void makingSomeoneOwnerHandsOwnershipOverAndKeepsOneOwner() {
        assertThat(GroupPermissions.roleChanges(OWNER_ID, TARGET_ID, ADMIN, OWNER))
                .containsExactly(Map.entry(TARGET_ID, OWNER), Map.entry(OWNER_ID, ADMIN));
    }

    @Test
    void theSameRoleAgainOrTheOwnersOwnRoleChangesNothing() {
        assertThat(GroupPermissions.roleChanges(OWNER_ID, TARGET_ID, ADMIN, ADMIN)).isEmpty();
        assertThat(GroupPermissions.roleChanges(OWNER_ID, OWNER_ID, OWNER, MEMBER)).isEmpty();
    }
}
