package io.chorus.org.internal.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.identity.Role;
import io.chorus.identity.UserAccounts;
import io.chorus.identity.UserAccounts.AccountSummary;
import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import io.chorus.org.DepartmentNode;
import io.chorus.org.Employee;
import io.chorus.org.EmployeeSummary;
import io.chorus.org.OrgDirectory;
import io.chorus.org.OrgProblems;
import io.chorus.org.internal.OrgProperties;
import io.chorus.platform.ProblemCodes;
import io.chorus.platform.ScheduledJobs;
import io.chorus.support.KeycloakServer;
import io.chorus.support.RestApi;
import io.chorus.support.StompTestClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Directory sync against a real Keycloak (the test realm's nested groups and users) into a real
 * PostgreSQL: the tree and memberships it produces, convergence, moves and departures in
 * Keycloak reaching department groups and live sessions, and failures that change nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "chorus.org.sync.enabled=true",
        "chorus.org.sync.client-id=" + KeycloakServer.SYNC_CLIENT_ID,
        "chorus.org.sync.client-secret=" + KeycloakServer.SYNC_CLIENT_SECRET,
        // Runs happen when the tests ask, not on the schedule.
        "chorus.org.sync.initial-delay=1h",
        "chorus.chat.department-groups.create-for-every-department=true"})
@ActiveProfiles("test")
class DirectorySyncTest {

    private static final Duration SOON = Duration.ofSeconds(15);

    @DynamicPropertySource
    static void keycloak(DynamicPropertyRegistry registry) {
        registry.add("chorus.identity.issuer-uri", KeycloakServer::issuerUri);
        registry.add("chorus.org.sync.server-url", KeycloakServer::serverUrl);
    }

    @LocalServerPort
    int port;

    @Autowired
    DirectorySync sync;

    @Autowired
    OrgDirectory org;

    @Autowired
    UserAccounts accounts;

    @Autowired
    UserDirectory users;

    @Autowired
    SnapshotApplier applier;

    @Autowired
    ScheduledJobs jobs;

    @Autowired
    OrgProperties properties;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    @Test
    void theRealmsGroupsAndUsersBecomeTheOrgChartAndASecondRunChangesNothing() {
        SyncReport first = sync.run(SyncReport.Trigger.REQUEST);
        assertThat(first.outcome()).isEqualTo(SyncReport.Outcome.SUCCEEDED);

        DepartmentNode headquarters = node(org.tree(), "Headquarters");
        assertThat(names(headquarters.children())).containsExactly("Engineering", "Finance");
        DepartmentNode engineering = node(headquarters.children(), "Engineering");
        assertThat(names(engineering.children())).containsExactly("Mobile", "Platform");

        Employee bob = employee("bob.li");
        assertThat(bob.departments()).extracting(Employee.Membership::departmentName).containsExactly("Mobile", "Platform");
        assertThat(bob.departments().getFirst().primary()).isTrue();
        assertThat(bob.departments()).allSatisfy(membership -> assertThat(membership.title()).isEqualTo("Mobile Engineer"));
        assertThat(org.managerChain(UserId.of(employee("alice.chen").userId()), 10)).extracting(EmployeeSummary::username)
                .containsExactly("zhang.san", "wang.fang");
        assertThat(account("dave.zhou").active()).as("a user disabled in Keycloak").isFalse();
        assertThat(users.findActiveByUsernames(List.of("carol.wu"))).containsKey("carol.wu");

        // Converged: nothing to change, and nothing published for anyone to react to.
        long publications = publications();
        SyncReport second = sync.run(SyncReport.Trigger.REQUEST);
        assertThat(second.outcome()).isEqualTo(SyncReport.Outcome.SUCCEEDED);
        assertThat(second.changedAnything()).as(second.toString()).isFalse();
        assertThat(publications()).isEqualTo(publications);
        assertThat(names(node(org.tree(), "Headquarters").children())).containsExactly("Engineering", "Finance");
    }

    @Test
    void movingAUserBetweenGroupsInKeycloakMovesThemBetweenDepartmentGroups() {
        String username = "mover-" + UUID.randomUUID().toString().substring(0, 8);
        try (Keycloak admin = KeycloakServer.admin()) {
            RealmResource realm = admin.realm(KeycloakServer.REALM);
            String platform = groupId(realm, "/Headquarters/Engineering/Platform");
            String mobile = groupId(realm, "/Headquarters/Engineering/Mobile");
            String subject = createUser(realm, username, platform);
            succeeds(sync.run(SyncReport.Trigger.REQUEST));
            UUID mover = employee(username).userId();
            UUID platformGroup = departmentGroupOf("Platform");
            UUID mobileGroup = departmentGroupOf("Mobile");
            await().atMost(SOON).until(() -> isMember(platformGroup, mover));
            assertThat(isMember(mobileGroup, mover)).isFalse();

            realm.users().get(subject).leaveGroup(platform);
            realm.users().get(subject).joinGroup(mobile);
            SyncReport moved = succeeds(sync.run(SyncReport.Trigger.REQUEST));
            assertThat(moved.membershipsAdded()).isEqualTo(1);
            assertThat(moved.membershipsRemoved()).isEqualTo(1);

            await().atMost(SOON).until(() -> isMember(mobileGroup, mover) && !isMember(platformGroup, mover));
            assertThat(employee(username).departments()).extracting(Employee.Membership::departmentName)
                    .containsExactly("Mobile");
        }
    }

    @Test
    void disablingAUserInKeycloakDeactivatesThemAndClosesTheirLiveSession() throws Exception {
        String username = "leaver-" + UUID.randomUUID().toString().substring(0, 8);
        try (Keycloak admin = KeycloakServer.admin()) {
            RealmResource realm = admin.realm(KeycloakServer.REALM);
            String subject = createUser(realm, username, groupId(realm, "/Headquarters/Finance"));
            succeeds(sync.run(SyncReport.Trigger.REQUEST));
            String token = KeycloakServer.accessToken(username, username + "-password");
            RestApi api = new RestApi("http://localhost:" + port, token, json);
            api.get("/api/v1/me").ok();

            try (StompTestClient live = StompTestClient.connect("ws://localhost:" + port + "/ws", token, json)) {
                UserRepresentation disabled = realm.users().get(subject).toRepresentation();
                disabled.setEnabled(false);
                realm.users().get(subject).update(disabled);
                SyncReport report = succeeds(sync.run(SyncReport.Trigger.REQUEST));
                assertThat(report.accountsDeactivated()).isEqualTo(1);

                assertThat(live.awaitErrorFrame().message()).isEqualTo(ProblemCodes.ACCOUNT_DEACTIVATED);
                assertThat(live.awaitClosed()).isTrue();
            }
            // The token Keycloak issued before still verifies, but grants nothing now.
            api.get("/api/v1/me").problem(401, ProblemCodes.ACCOUNT_DEACTIVATED);
            assertThat(account(username).active()).isFalse();
            assertThat(employee(username).departments()).as("history and memberships are kept").isNotEmpty();
        }
    }

    @Test
    void aUserDeletedFromKeycloakIsDeactivatedNotDeleted() {
        String username = "gone-" + UUID.randomUUID().toString().substring(0, 8);
        try (Keycloak admin = KeycloakServer.admin()) {
            RealmResource realm = admin.realm(KeycloakServer.REALM);
            String subject = createUser(realm, username, groupId(realm, "/Headquarters"));
            succeeds(sync.run(SyncReport.Trigger.REQUEST));
            assertThat(account(username).active()).isTrue();

            // Keycloak has never heard of a bot: a sync must not take that for the bot having left.
            UserId bot = accounts.provisionBot("sync-bot-" + username, "Sync Bot");

            realm.users().delete(subject).close();
            SyncReport report = succeeds(sync.run(SyncReport.Trigger.REQUEST));

            assertThat(report.accountsDeactivated()).isEqualTo(1);
            assertThat(account(username).active()).isFalse();
            assertThat(users.find(bot).orElseThrow().active()).as("the bot stays active").isTrue();
            assertThat(employee(username).departments()).as("they left the Keycloak group with their account").isEmpty();
        }
    }

    @Test
    void aBadUserOrGroupIsReportedAndLeftAsItWasWhileEverythingElseIsApplied() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        try (Keycloak admin = KeycloakServer.admin()) {
            RealmResource realm = admin.realm(KeycloakServer.REALM);
            String finance = groupId(realm, "/Headquarters/Finance");
            String leaver = createUser(realm, "leaving-" + suffix, finance);
            succeeds(sync.run(SyncReport.Trigger.REQUEST));
            UserId alice = UserId.of(employee("alice.chen").userId());
            List<String> aliceManagers = org.managerChain(alice, 10).stream().map(EmployeeSummary::username).toList();

            GroupRepresentation tooLong = new GroupRepresentation();
            tooLong.setName("Named at length " + "x".repeat(100) + " " + suffix);
            String badGroup = realm.groups().add(tooLong).getLocation().getPath().replaceAll(".*/", "");
            UserRepresentation aliceInKeycloak = realm.users().search("alice.chen", true).getFirst();
            aliceInKeycloak.getAttributes().put("manager", List.of("nobody-by-that-name"));
            realm.users().get(aliceInKeycloak.getId()).update(aliceInKeycloak);
            createUser(realm, "newcomer-" + suffix, finance);
            UserRepresentation disabled = realm.users().get(leaver).toRepresentation();
            disabled.setEnabled(false);
            realm.users().get(leaver).update(disabled);
            try {
                SyncReport report = succeeds(sync.run(SyncReport.Trigger.REQUEST));

                assertThat(report.problems()).hasSize(2)
                        .anySatisfy(problem -> assertThat(problem).contains("alice.chen", "nobody-by-that-name"))
                        .anySatisfy(problem -> assertThat(problem).contains(suffix));
                assertThat(report.accountsCreated()).isEqualTo(1);
                assertThat(report.accountsDeactivated()).as("a bad item holds up no deactivation").isEqualTo(1);
                assertThat(account("leaving-" + suffix).active()).isFalse();
                assertThat(employee("newcomer-" + suffix).departments()).extracting(Employee.Membership::departmentName)
                        .containsExactly("Finance");
                assertThat(find(org.tree(), tooLong.getName())).isEmpty();
                assertThat(org.managerChain(alice, 10)).extracting(EmployeeSummary::username)
                        .as("alice's manager is left as it was").isEqualTo(aliceManagers);
                assertThat(sync.lastReport()).contains(report);
            } finally {
                aliceInKeycloak.getAttributes().put("manager", List.of("zhang.san"));
                realm.users().get(aliceInKeycloak.getId()).update(aliceInKeycloak);
                realm.groups().group(badGroup).remove();
            }
        }
    }

    @Test
    void aUserListThatShiftsBetweenPagesIsReadAgainRatherThanSkippingSomeone() {
        String early = "aaa-" + UUID.randomUUID().toString().substring(0, 8);
        try (Keycloak admin = KeycloakServer.admin()) {
            RealmResource realm = admin.realm(KeycloakServer.REALM);
            String subject = createUser(realm, early, groupId(realm, "/Headquarters"));
            succeeds(sync.run(SyncReport.Trigger.REQUEST));
            List<Employee.Membership> bobsDepartments = employee("bob.li").departments();
            OrgProperties twoPerPage = settings(2, properties.sync().deactivationGuard());
            AtomicBoolean deleted = new AtomicBoolean();
            // Someone deletes a user that sorts first while the sync is between its first and second page.
            KeycloakDirectory shifting = new KeycloakDirectory(twoPerPage) {
                @Override
                List<UserRepresentation> userPage(RealmResource realmRead, int first, int max) {
                    if (first > 0 && deleted.compareAndSet(false, true)) {
                        realm.users().delete(subject).close();
                    }
                    return super.userPage(realmRead, first, max);
                }
            };

            SyncReport report = succeeds(new DirectorySync(shifting, applier, accounts, twoPerPage, Clock.systemUTC(), jobs)
                    .run(SyncReport.Trigger.REQUEST));

            assertThat(deleted).isTrue();
            assertThat(report.accountsDeactivated()).isEqualTo(1);
            assertThat(report.membershipsRemoved()).as("only the deleted user's: " + report).isEqualTo(1);
            assertThat(employee("bob.li").departments()).isEqualTo(bobsDepartments);
        }
    }

    @Test
    void aUserListThatComesBackEmptyIsRefusedAndChangesNothing() {
        succeeds(sync.run(SyncReport.Trigger.REQUEST));
        List<DepartmentNode> before = org.tree();
        List<AccountSummary> accountsBefore = accounts.all();
        List<Employee.Membership> bobsDepartments = employee("bob.li").departments();
        // As Keycloak answers when its user federation is down: nobody listed, nobody found.
        KeycloakDirectory nobody = new KeycloakDirectory(properties) {
            @Override
            List<UserRepresentation> userPage(RealmResource realm, int first, int max) {
                return List.of();
            }

            @Override
            Optional<UserRepresentation> user(RealmResource realm, String subject) {
                return Optional.empty();
            }
        };

        SyncReport refused = new DirectorySync(nobody, applier, accounts, properties, Clock.systemUTC(), jobs)
                .run(SyncReport.Trigger.REQUEST, false);

        assertThat(refused.outcome()).isEqualTo(SyncReport.Outcome.REFUSED);
        assertThat(refused.problems()).singleElement().asString().contains("every active account");
        assertThat(org.tree()).isEqualTo(before);
        assertThat(accounts.all()).containsExactlyInAnyOrderElementsOf(accountsBefore);
        assertThat(employee("bob.li").departments()).isEqualTo(bobsDepartments);
    }

    @Test
    void aRunThatWouldDeactivateMoreThanTheGuardAllowsIsRefusedUnlessForced() {
        String username = "departing-" + UUID.randomUUID().toString().substring(0, 8);
        try (Keycloak admin = KeycloakServer.admin()) {
            RealmResource realm = admin.realm(KeycloakServer.REALM);
            String subject = createUser(realm, username, groupId(realm, "/Headquarters"));
            succeeds(sync.run(SyncReport.Trigger.REQUEST));
            realm.users().delete(subject).close();
            OrgProperties strict = settings(properties.sync().pageSize(), new OrgProperties.DeactivationGuard(0, 0));
            DirectorySync guarded = new DirectorySync(new KeycloakDirectory(strict), applier, accounts, strict,
                    Clock.systemUTC(), jobs);

            SyncReport refused = guarded.run(SyncReport.Trigger.REQUEST, false);

            assertThat(refused.outcome()).isEqualTo(SyncReport.Outcome.REFUSED);
            assertThat(refused.problems()).singleElement().asString().contains("1 of", "0%");
            assertThat(account(username).active()).isTrue();

            SyncReport forced = succeeds(guarded.run(SyncReport.Trigger.REQUEST, true));
            assertThat(forced.accountsDeactivated()).isEqualTo(1);
            assertThat(account(username).active()).isFalse();
        }
    }

    @Test
    void overRestARefusedRunAnswers409AndForceAppliesIt() {
        RestApi orgAdmin = new RestApi("http://localhost:" + port,
                KeycloakServer.accessToken("wang.fang", "wang.fang-password"), json);
        String batch = UUID.randomUUID().toString().substring(0, 6);
        try (Keycloak admin = KeycloakServer.admin()) {
            RealmResource realm = admin.realm(KeycloakServer.REALM);
            String finance = groupId(realm, "/Headquarters/Finance");
            List<String> subjects = new ArrayList<>();
            // One more than the default guard always allows.
            for (int i = 0; i <= properties.sync().deactivationGuard().alwaysAllowed(); i++) {
                subjects.add(createUser(realm, "batch-" + batch + "-" + i, finance));
            }
            succeeds(sync.run(SyncReport.Trigger.REQUEST));
            long active = accounts.all().stream().filter(AccountSummary::active).count();
            assertThat(subjects.size() * 100L).as("the batch is more than the guard's share of %s active accounts", active)
                    .isGreaterThan(properties.sync().deactivationGuard().maxPercent() * active);
            subjects.forEach(subject -> realm.users().delete(subject).close());

            orgAdmin.post("/api/v1/org/sync", null).problem(409, OrgProblems.DIRECTORY_SYNC_REFUSED);
            assertThat(orgAdmin.get("/api/v1/org/sync").ok().json().get("outcome").asString()).isEqualTo("REFUSED");
            assertThat(account("batch-" + batch + "-0").active()).isTrue();

            assertThat(orgAdmin.post("/api/v1/org/sync?force=true", null).ok().json().get("accountsDeactivated").asInt())
                    .isEqualTo(subjects.size());
            assertThat(account("batch-" + batch + "-0").active()).isFalse();
        }
    }

    @Test
    void aRunWithNothingToChangeRewritesNoRowAndForgetsNoSignedInUser() {
        succeeds(sync.run(SyncReport.Trigger.REQUEST));
        RestApi carol = new RestApi("http://localhost:" + port,
                KeycloakServer.accessToken("carol.wu", "carol.wu-password"), json);
        UserId carolsId = UserId.parse(carol.get("/api/v1/me").ok().json().get("id").asString());
        // Her Keycloak token's realm roles are remembered, and a sync (which knows no roles) keeps them.
        assertThat(users.activeHolders(Role.EMPLOYEE)).contains(carolsId);
        await().atMost(SOON).until(() -> jdbc.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL")
                .query(Long.class).single() == 0);
        Map<String, String> before = rowVersions();

        SyncReport again = succeeds(sync.run(SyncReport.Trigger.REQUEST));

        assertThat(again.changedAnything()).as(again.toString()).isFalse();
        assertThat(rowVersions()).as("row versions after a run with nothing to change").isEqualTo(before);
        // Still remembered: her next request is answered from memory and writes nothing either.
        carol.get("/api/v1/me").ok();
        assertThat(rowVersions()).isEqualTo(before);
        assertThat(users.activeHolders(Role.EMPLOYEE)).contains(carolsId);
    }

    @Test
    void anUnreachableKeycloakFailsTheRunAndChangesNothing() {
        succeeds(sync.run(SyncReport.Trigger.REQUEST));
        // The directory's copies (active flags, member counts) follow account changes through events:
        // let them settle, so "before" is what the failed run must leave alone.
        await().atMost(SOON).until(() -> jdbc.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL")
                .query(Long.class).single() == 0);
        List<DepartmentNode> before = org.tree();
        List<AccountSummary> accountsBefore = accounts.all();
        OrgProperties.Sync settings = properties.sync();
        OrgProperties down = new OrgProperties(new OrgProperties.Sync(true, "http://127.0.0.1:9", settings.realm(),
                settings.clientId(), settings.clientSecret(), settings.interval(), settings.initialDelay(),
                settings.pageSize(), settings.attributes(), settings.deactivationGuard()), false);
        DirectorySync offline = new DirectorySync(new KeycloakDirectory(down), applier, accounts, down, Clock.systemUTC(), jobs);

        SyncReport failed = offline.run(SyncReport.Trigger.REQUEST);

        assertThat(failed.outcome()).isEqualTo(SyncReport.Outcome.FAILED);
        assertThat(failed.problems()).singleElement().asString().startsWith("Keycloak could not be read");
        assertThat(org.tree()).isEqualTo(before);
        assertThat(accounts.all()).containsExactlyInAnyOrderElementsOf(accountsBefore);
    }

    @Test
    void onlyOrgAdminsRunASyncOverRestAndAFailureAnswers502() {
        RestApi orgAdmin = new RestApi("http://localhost:" + port,
                KeycloakServer.accessToken("wang.fang", "wang.fang-password"), json);
        RestApi employee = new RestApi("http://localhost:" + port,
                KeycloakServer.accessToken("alice.chen", "alice.chen-password"), json);

        assertThat(orgAdmin.post("/api/v1/org/sync", null).ok().json().get("outcome").asString()).isEqualTo("SUCCEEDED");
        assertThat(orgAdmin.get("/api/v1/org/sync").ok().json().get("trigger").asString()).isEqualTo("REQUEST");
        assertThat(orgAdmin.post("/api/v1/org/sync?force=true", null).ok().json().get("outcome").asString())
                .isEqualTo("SUCCEEDED");
        employee.post("/api/v1/org/sync", null).problem(403, ProblemCodes.FORBIDDEN);
        employee.get("/api/v1/org/sync").problem(403, ProblemCodes.FORBIDDEN);
        // While sync is on, Keycloak owns the chart: hand edits are refused.
        orgAdmin.post("/api/v1/org/departments", RestApi.body("name", "By hand"))
                .problem(409, OrgProblems.DIRECTORY_SYNCED);
    }

    // ---------------------------------------------------------------- steps

    private static SyncReport succeeds(SyncReport report) {
        assertThat(report.outcome()).as(report.toString()).isEqualTo(SyncReport.Outcome.SUCCEEDED);
        return report;
    }

    private Employee employee(String username) {
        UserId id = users.findActiveByUsernames(List.of(username)).get(username);
        if (id == null) {
            id = accounts.all().stream().filter(account -> users.find(account.id()).map(p -> p.username().equals(username))
                    .orElse(false)).map(AccountSummary::id).findFirst().orElseThrow();
        }
        UserId user = id;
        await().atMost(SOON).until(() -> org.employee(user).isPresent());
        return org.employee(user).orElseThrow();
    }

    private AccountSummary account(String username) {
        return accounts.all().stream()
                .filter(account -> users.find(account.id()).map(p -> p.username().equals(username)).orElse(false))
                .findFirst().orElseThrow();
    }

    private OrgProperties settings(int pageSize, OrgProperties.DeactivationGuard guard) {
        OrgProperties.Sync sync = properties.sync();
        return new OrgProperties(new OrgProperties.Sync(true, sync.serverUrl(), sync.realm(), sync.clientId(),
                sync.clientSecret(), sync.interval(), sync.initialDelay(), pageSize, sync.attributes(), guard), false);
    }

    /** Every org and account row with its xmin, which any UPDATE changes, even one writing the same values. */
    private Map<String, String> rowVersions() {
        Map<String, String> versions = new java.util.HashMap<>();
        jdbc.sql("""
                SELECT 'account ' || id, xmin::text FROM identity.user_account
                UNION ALL SELECT 'employee ' || user_id, xmin::text FROM org.employee
                UNION ALL SELECT 'department ' || id, xmin::text FROM org.department
                UNION ALL SELECT 'membership ' || department_id || ' ' || user_id, xmin::text FROM org.membership
                UNION ALL SELECT 'head ' || department_id || ' ' || user_id, xmin::text FROM org.department_head
                """).query((rs, n) -> versions.put(rs.getString(1), rs.getString(2))).list();
        return versions;
    }

    private long publications() {
        return jdbc.sql("SELECT count(*) FROM event_publication").query(Long.class).single();
    }

    private UUID departmentGroupOf(String departmentName) {
        UUID department = find(org.tree(), departmentName).map(DepartmentNode::id).orElseThrow();
        await().atMost(SOON).until(() -> jdbc.sql("SELECT count(*) FROM chat.department_group WHERE department_id = :d")
                .param("d", department).query(Long.class).single() == 1);
        return jdbc.sql("SELECT conversation_id FROM chat.department_group WHERE department_id = :d")
                .param("d", department).query(UUID.class).single();
    }

    private boolean isMember(UUID conversation, UUID user) {
        return jdbc.sql("SELECT count(*) FROM chat.member WHERE conversation_id = :c AND user_id = :u")
                .param("c", conversation).param("u", user).query(Long.class).single() == 1;
    }

    private static String createUser(RealmResource realm, String username, String groupId) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEnabled(true);
        user.setEmail(username + "@chorus.test");
        user.setEmailVerified(true);
        user.setFirstName("Test");
        user.setLastName(username);
        user.setAttributes(Map.of("title", List.of("Tester")));
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue(username + "-password");
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        try (var response = realm.users().create(user)) {
            assertThat(response.getStatus()).isEqualTo(201);
            String id = response.getLocation().getPath().replaceAll(".*/", "");
            realm.users().get(id).joinGroup(groupId);
            realm.users().get(id).roles().realmLevel().add(List.of(realm.roles().get("employee").toRepresentation()));
            return id;
        }
    }

    private static GroupRepresentation group(String name) {
        GroupRepresentation group = new GroupRepresentation();
        group.setName(name + " " + UUID.randomUUID().toString().substring(0, 6));
        return group;
    }

    private static String groupId(RealmResource realm, String path) {
        return realm.getGroupByPath(path).getId();
    }

    private static DepartmentNode node(List<DepartmentNode> nodes, String name) {
        return nodes.stream().filter(node -> node.name().equals(name)).findFirst().orElseThrow(() ->
                new AssertionError("no department " + name + " among " + names(nodes)));
    }

    private static Optional<DepartmentNode> find(List<DepartmentNode> nodes, String name) {
        for (DepartmentNode node : nodes) {
            if (node.name().equals(name)) {
                return Optional.of(node);
            }
            Optional<DepartmentNode> below = find(node.children(), name);
            if (below.isPresent()) {
                return below;
            }
        }
        return Optional.empty();
    }

    private static List<String> names(List<DepartmentNode> nodes) {
        List<String> names = new ArrayList<>();
        nodes.forEach(node -> names.add(node.name()));
        return names;
    }
}
