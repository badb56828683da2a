package io.chorus.chat.internal;

import io.chorus.chat.ConversationKind;
import io.chorus.chat.MemberRole;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What a member's role allows in a group: owners and admins manage it, only the owner changes
 * roles or archives it, and the owner hands ownership on before leaving. Plain rules on roles;
 * the callers read the roles (under the locks that keep them current) and refuse.
 */
public final class GroupPermissions {

    private GroupPermissions() {
    }

    /** Rename the group and add members. */
    public static boolean mayManage(MemberRole role) {
        return role.manages();
    }

    /** The owner removes anyone but themselves, an admin removes plain members, a member nobody. */
    public static boolean mayRemove(MemberRole remover, MemberRole target) {
        return switch (remover) {
            case OWNER -> target != MemberRole.OWNER;
            case ADMIN -> target == MemberRole.MEMBER;
            case MEMBER -> false;
        };
    }

    /** An owner may not leave others behind without an owner; the last one out may leave. */
    public static boolean mustHandOverBeforeLeaving(MemberRole leaver, int memberCount) {
        return leaver == MemberRole.OWNER && memberCount > 1;
    }

    public static boolean mayChangeRoles(MemberRole role) {
        return role == MemberRole.OWNER;
    }

    public static boolean mayArchive(MemberRole role) {
        return role == MemberRole.OWNER;
    }

    /** {@code @all} notifies a whole group, so only those who manage it may; a direct chat has no @all. */
    public static boolean mayMentionAll(ConversationKind kind, MemberRole role) {
        return kind.isGroup() && role.manages();
    }

    /** In a group, owners and admins recall anyone's message, at any time; everyone else only their own. */
    public static boolean mayRecallOthers(ConversationKind kind, MemberRole role) {
        return kind.isGroup() && role.manages();
    }

    /**
     * The roles that change when the owner gives {@code target} (now {@code current}) the role
     * {@code wanted}, in the order to apply them: none when nothing changes (the owner's own role
     * or the same role again); making someone else owner hands ownership over, so the former
     * owner becomes an admin and the group keeps exactly one owner.
     */
    public static Map<UUID, MemberRole> roleChanges(UUID owner, UUID target, MemberRole current, MemberRole wanted) {
        Map<UUID, MemberRole> changes = new LinkedHashMap<>();
        if (owner.equals(target) || current == wanted) {
            return changes;
        }
        changes.put(target, wanted);
        if (wanted == MemberRole.OWNER) {
            changes.put(owner, MemberRole.ADMIN);
        }
        return changes;
    }
}
