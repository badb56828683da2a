package io.chorus.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.TestClients;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Who holds a realm role, as their last token (or local-mode seeding) showed it. */
@ChorusIntegrationTest
class RealmRoleHoldersTest {

    private static final List<String> EMPLOYEE = List.of("employee");
    private static final List<String> ORG_ADMIN = List.of("employee", "org_admin");

    @Autowired
    TestClients clients;

    @Autowired
    UserDirectory users;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Test
    void holdersAreThoseLastSeenWithTheRoleInUsernameOrder() {
        String tag = "holder-" + UUID.randomUUID().toString().substring(0, 8);
        // Seen in the reverse of username order, so the order asked for is not just the order of sight.
        UserId second = seen(tag + "-b", ORG_ADMIN);
        UserId first = seen(tag + "-a", ORG_ADMIN);
        UserId employee = seen(tag + "-c", EMPLOYEE);

        assertThat(users.activeHolders(Role.ORG_ADMIN)).containsSubsequence(first, second).doesNotContain(employee);
        assertThat(users.activeHolders(Role.EMPLOYEE)).contains(first, second, employee);
        assertThat(users.activeHolders(Role.COMPLIANCE_OFFICER)).doesNotContain(first, second, employee);
    }

    @Test
    void aLaterTokenWithoutTheRoleDropsTheUserAndOneWithItBringsThemBack() {
        String username = "demoted-" + UUID.randomUUID().toString().substring(0, 8);
        UserId user = seen(username, ORG_ADMIN);
        assertThat(users.activeHolders(Role.ORG_ADMIN)).contains(user);

        seen(username, EMPLOYEE);
        assertThat(users.activeHolders(Role.ORG_ADMIN)).doesNotContain(user);
        assertThat(users.activeHolders(Role.EMPLOYEE)).contains(user);

        seen(username, ORG_ADMIN);
        assertThat(users.activeHolders(Role.ORG_ADMIN)).contains(user);
    }

    @Test
    void deactivatedUsersAndBotsHoldNothing() {
        UserId leaver = seen("leaver-" + UUID.randomUUID().toString().substring(0, 8), ORG_ADMIN);
        UserId bot = accounts.provisionBot("bot-" + UUID.randomUUID().toString().substring(0, 8), "Some Bot");
        // No token gives a bot roles; should a later kind of bot be stored with some, it still holds none.
        jdbc.sql("UPDATE identity.user_account SET roles = '{employee,org_admin}' WHERE id = :id")
                .param("id", bot.value()).update();
        assertThat(users.activeHolders(Role.ORG_ADMIN)).contains(leaver).doesNotContain(bot);

        accounts.deactivate(leaver);

        assertThat(users.activeHolders(Role.ORG_ADMIN)).doesNotContain(leaver, bot);
        assertThat(users.activeHolders(Role.EMPLOYEE)).doesNotContain(leaver, bot);
    }

    @Test
    void localModeSeedsTheDemoUsersConfiguredRoles() {
        // alice is seeded with [employee] by the test configuration before anyone signs in as her.
        UserId alice = users.findActiveByUsernames(List.of("alice")).get("alice");

        assertThat(users.activeHolders(Role.EMPLOYEE)).contains(alice);
        assertThat(storedRoles(alice)).isEqualTo("{employee}");
    }

    @Test
    void anUnchangedTokenWritesNothingAndAChangedRoleSetWritesOnce() {
        String username = "steady-" + UUID.randomUUID().toString().substring(0, 8);
        UserId user = seen(username, EMPLOYEE);
        Map<String, Object> before = row(user);

        // A fresh token (another jti, another session) with the same profile and roles.
        seen(username, EMPLOYEE);
        assertThat(row(user)).as("an unchanged token costs no write").isEqualTo(before);

        seen(username, List.of("org_admin", "employee"));
        Map<String, Object> promoted = row(user);
        assertThat(promoted.get("xmin")).isNotEqualTo(before.get("xmin"));
        assertThat(promoted.get("roles")).isEqualTo("{employee,org_admin}");
        assertThat(promoted.get("version")).as("roles are no profile change: nobody's copy is stale")
                .isEqualTo(before.get("version"));

        seen(username, List.of("employee", "org_admin"));
        assertThat(row(user)).as("the same roles in another order are the same set").isEqualTo(promoted);
    }

    /** Calls the API with a fresh token for {@code username} carrying {@code roles}. */
    private UserId seen(String username, List<String> roles) {
        String token = clients.token(username, TestClients.displayName(username), roles, Instant.now());
        return UserId.parse(clients.rest(token).get("/api/v1/me").ok().json().get("id").asString());
    }

    private String storedRoles(UserId id) {
        return jdbc.sql("SELECT roles::text FROM identity.user_account WHERE id = :id").param("id", id.value())
                .query(String.class).single();
    }

    /** The row's xmin changes with any UPDATE, even one writing the same values. */
    private Map<String, Object> row(UserId id) {
        return jdbc.sql("SELECT xmin::text AS xmin, roles::text AS roles, version, last_seen_at FROM identity.user_account"
                        + " WHERE id = :id")
                .param("id", id.value()).query().singleRow();
    }
}
