package io.chorus.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.KeycloakServer;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * What directory sync will read: the {@code chorus-sync} service account (client credentials)
 * sees the org chart as nested groups and every user with the attributes sync needs, and may
 * change nothing. Also proves the realm file's user profile keeps those attributes.
 */
class KeycloakDirectoryAccessTest {

    private static Keycloak sync;
    private static RealmResource directory;

    @BeforeAll
    static void connectAsTheSyncServiceAccount() {
        sync = KeycloakBuilder.builder()
                .serverUrl(KeycloakServer.serverUrl())
                .realm(KeycloakServer.REALM)
                .grantType(OAuth2Constants.CLIENT_CREDENTIALS)
                .clientId(KeycloakServer.SYNC_CLIENT_ID)
                .clientSecret(KeycloakServer.SYNC_CLIENT_SECRET)
                .build();
        directory = sync.realm(KeycloakServer.REALM);
    }

    @AfterAll
    static void close() {
        if (sync != null) {
            sync.close();
        }
    }

    @Test
    void syncSeesTheOrgChartAsNestedGroups() {
        List<GroupRepresentation> topLevel = directory.groups().groups();

        assertThat(topLevel).extracting(GroupRepresentation::getName).containsExactly("Headquarters");
        assertThat(pathsBelow(topLevel.getFirst())).containsExactlyInAnyOrder(
                "/Headquarters",
                "/Headquarters/Engineering",
                "/Headquarters/Engineering/Platform",
                "/Headquarters/Engineering/Mobile",
                "/Headquarters/Finance");
        GroupRepresentation platform = directory.getGroupByPath("/Headquarters/Engineering/Platform");
        assertThat(directory.groups().group(platform.getId()).members())
                .extracting(UserRepresentation::getUsername).containsExactlyInAnyOrder("alice.chen", "bob.li");
    }

    @Test
    void syncSeesEachUsersProfileAttributesGroupsAndRoles() {
        Map<String, UserRepresentation> users = directory.users().list(0, 100).stream()
                .collect(Collectors.toMap(UserRepresentation::getUsername, Function.identity()));

        assertThat(users).containsKeys("wang.fang", "zhang.san", "alice.chen", "bob.li", "carol.wu", "dave.zhou");
        UserRepresentation zhang = users.get("zhang.san");
        assertThat(zhang.getFirstName()).isEqualTo("三");
        assertThat(zhang.getLastName()).isEqualTo("张");
        assertThat(zhang.getEmail()).isEqualTo("zhang.san@chorus.test");
        assertThat(zhang.isEnabled()).isTrue();
        assertThat(zhang.getAttributes()).containsEntry("title", List.of("Head of Engineering"))
                .containsEntry("primaryDepartment", List.of("/Headquarters/Engineering"))
                .containsEntry("manager", List.of("wang.fang"));
        assertThat(users.get("wang.fang").getAttributes()).doesNotContainKey("manager");
        assertThat(users.get("dave.zhou").isEnabled()).as("the leaver's account is disabled").isFalse();

        assertThat(directory.users().get(users.get("bob.li").getId()).groups())
                .extracting(GroupRepresentation::getPath).containsExactlyInAnyOrder(
                        "/Headquarters/Engineering/Mobile", "/Headquarters/Engineering/Platform");
        assertThat(directory.users().get(users.get("carol.wu").getId()).roles().realmLevel().listEffective())
                .extracting(RoleRepresentation::getName).contains("employee", "compliance_officer")
                .doesNotContain("org_admin");
    }

    @Test
    void syncMayNotChangeTheDirectory() {
        UserRepresentation intruder = new UserRepresentation();
        intruder.setUsername("sync-made-" + UUID.randomUUID());
        intruder.setEnabled(true);
        try (Response created = directory.users().create(intruder)) {
            assertThat(created.getStatus()).isEqualTo(403);
        }
        GroupRepresentation group = new GroupRepresentation();
        group.setName("Shadow IT");
        try (Response created = directory.groups().add(group)) {
            assertThat(created.getStatus()).isEqualTo(403);
        }
    }

    @Test
    void attributesWrittenLaterAreKeptOnlyWhenTheUserProfileDeclaresThem() {
        UserRepresentation hire = new UserRepresentation();
        hire.setUsername("new.hire-" + UUID.randomUUID().toString().substring(0, 8));
        hire.setEnabled(true);
        hire.setFirstName("Nora");
        hire.setLastName("Ng");
        hire.setEmail(hire.getUsername() + "@chorus.test");
        hire.setAttributes(Map.of(
                "title", List.of("Finance Analyst"),
                "primaryDepartment", List.of("/Headquarters/Finance"),
                "manager", List.of("carol.wu"),
                "shoeSize", List.of("42")));
        try (Keycloak admin = KeycloakServer.admin()) {
            RealmResource realm = admin.realm(KeycloakServer.REALM);
            String id;
            try (Response created = realm.users().create(hire)) {
                assertThat(created.getStatus()).as("create %s", hire.getUsername()).isEqualTo(201);
                id = CreatedResponseUtil.getCreatedId(created);
            }
            try {
                UserRepresentation seen = directory.users().get(id).toRepresentation();

                assertThat(seen.getAttributes()).containsEntry("title", List.of("Finance Analyst"))
                        .containsEntry("primaryDepartment", List.of("/Headquarters/Finance"))
                        .containsEntry("manager", List.of("carol.wu"))
                        .as("undeclared attributes are dropped").doesNotContainKey("shoeSize");
            } finally {
                realm.users().delete(id).close();
            }
        }
    }

    private List<String> pathsBelow(GroupRepresentation group) {
        List<String> paths = new ArrayList<>(List.of(group.getPath()));
        // Since Keycloak 23 a group listing no longer embeds its subgroups: ask level by level.
        for (GroupRepresentation child : directory.groups().group(group.getId()).getSubGroups(0, 100, false)) {
            paths.addAll(pathsBelow(child));
        }
        return paths;
    }
}
