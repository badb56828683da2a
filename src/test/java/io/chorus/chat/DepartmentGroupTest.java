package io.chorus.chat;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.identity.UserAccounts;
import io.chorus.identity.UserId;
import io.chorus.platform.ProblemCodes;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.StompTestClient;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Department groups follow the org chart: joining, leaving, heads, sub-departments and
 * deactivation change their members at once, live sessions included, and nothing else can.
 */
@ChorusIntegrationTest
class DepartmentGroupTest {

    private static final Duration SOON = Duration.ofSeconds(10);

    @Autowired
    TestClients clients;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    UserAccounts accounts;

    private RestApi admin;

    @BeforeEach
    void setUp() {
        admin = clients.rest(clients.orgAdmin());
    }

    @Test
    void theGroupHoldsTheDepartmentsMembersWithItsHeadsAsAdmins() {
        String department = department("Sales", null);
        TestUser head = clients.user("head");
        TestUser seller = clients.user("seller");
        join(head, department);
        join(seller, department);
        heads(department, head);

        JsonNode created = admin.post("/api/v1/department-groups", body("departmentId", department)).status(201).json();
        String group = created.get("conversationId").asString();
        assertThat(created.get("departmentId").asString()).isEqualTo(department);
        assertThat(members(group)).containsExactlyInAnyOrderEntriesOf(Map.of(head.id(), "ADMIN", seller.id(), "MEMBER"));
        assertThat(clients.rest(seller).get("/api/v1/conversations/" + group).ok().json().get("kind").asString())
                .isEqualTo("DEPARTMENT");

        // Asking again returns the same group; only org_admins may ask.
        assertThat(admin.post("/api/v1/department-groups", body("departmentId", department)).ok().json()
                .get("conversationId").asString()).isEqualTo(group);
        clients.rest(seller).post("/api/v1/department-groups", body("departmentId", department))
                .problem(403, ProblemCodes.FORBIDDEN);
    }

    @Test
    void joiningAndLeavingTheDepartmentReachesLiveSessionsAtOnce() {
        String department = department("Support", null);
        TestUser veteran = clients.user("veteran");
        TestUser newcomer = clients.user("newcomer");
        join(veteran, department);
        String group = openGroup(department, false);

        try (StompTestClient veteranLive = clients.stomp(veteran); StompTestClient newcomerLive = clients.stomp(newcomer)) {
            join(newcomer, department);
            JsonNode added = veteranLive.awaitEvent("member.added");
            assertThat(added.get("userId").asString()).isEqualTo(newcomer.id().toString());
            assertThat(newcomerLive.awaitEvent("member.added").get("conversationId").asString()).isEqualTo(group);

            admin.delete("/api/v1/org/departments/" + department + "/members/" + newcomer.id()).status(204);
            assertThat(newcomerLive.awaitEvent("member.removed").get("userId").asString())
                    .isEqualTo(newcomer.id().toString());

            // The leaver's sessions no longer receive the group; they may not post to it either.
            veteranLive.sendMessage(group, "after-leave", "Bye, newcomer");
            veteranLive.awaitAck();
            assertThat(newcomerLive.drainEvents()).isEmpty();
            clients.rest(newcomer).get("/api/v1/conversations/" + group).problem(403, ChatProblems.NOT_A_MEMBER);
        }
    }

    @Test
    void nobodyManagesADepartmentGroupByHand() {
        String department = department("Legal", null);
        TestUser head = clients.user("head");
        TestUser member = clients.user("member");
        TestUser outsider = clients.user("outsider");
        join(head, department);
        join(member, department);
        heads(department, head);
        String group = openGroup(department, false);
        await().atMost(SOON).until(() -> members(group).size() == 2);
        RestApi headApi = clients.rest(head);
        String conversation = "/api/v1/conversations/" + group;

        headApi.post(conversation + "/members", body("userIds", List.of(outsider.id())))
                .problem(409, ChatProblems.DEPARTMENT_GROUP_MANAGED);
        headApi.delete(conversation + "/members/" + member.id()).problem(409, ChatProblems.DEPARTMENT_GROUP_MANAGED);
        clients.rest(member).delete(conversation + "/members/" + member.id())
                .problem(409, ChatProblems.DEPARTMENT_GROUP_MANAGED);
        headApi.patch(conversation, body("name", "Renamed")).problem(409, ChatProblems.DEPARTMENT_GROUP_MANAGED);
        headApi.patch(conversation + "/members/" + member.id(), body("role", "ADMIN"))
                .problem(409, ChatProblems.DEPARTMENT_GROUP_MANAGED);
        headApi.post(conversation + "/archive", null).problem(409, ChatProblems.DEPARTMENT_GROUP_MANAGED);
        assertThat(members(group)).containsExactlyInAnyOrderEntriesOf(Map.of(head.id(), "ADMIN", member.id(), "MEMBER"));

        // Renaming the department renames the group; heads may still @all like admins do.
        admin.patch("/api/v1/org/departments/" + department, body("name", "Legal & Compliance")).ok();
        await().atMost(SOON).until(() -> "Legal & Compliance".equals(
                headApi.get(conversation).ok().json().get("name").asString()));
        headApi.post(conversation + "/messages", body("clientMessageId", "all-1", "text", "@all meeting")).status(201);
    }

    @Test
    void aGroupWithSubDepartmentsFollowsMovesOfWholeSubtrees() {
        String parent = department("Operations", null);
        String other = department("Elsewhere", null);
        String child = department("Logistics", other);
        TestUser driver = clients.user("driver");
        join(driver, child);
        String group = openGroup(parent, true);
        assertThat(members(group)).isEmpty();

        admin.post("/api/v1/org/departments/" + child + "/move", body("parentId", parent)).ok();
        await().atMost(SOON).until(() -> members(group).containsKey(driver.id()));

        admin.post("/api/v1/org/departments/" + child + "/move", body("parentId", other)).ok();
        await().atMost(SOON).until(() -> !members(group).containsKey(driver.id()));
    }

    @Test
    void deactivationRemovesTheUserClosesTheirSessionsAndRefusesTheirToken() {
        String department = department("Audit", null);
        TestUser leaver = clients.user("leaver");
        TestUser stayer = clients.user("stayer");
        join(leaver, department);
        join(stayer, department);
        String group = openGroup(department, false);
        await().atMost(SOON).until(() -> members(group).size() == 2);

        try (StompTestClient leaverLive = clients.stomp(leaver); StompTestClient stayerLive = clients.stomp(stayer)) {
            accounts.deactivate(UserId.of(leaver.id()));

            StompTestClient.ErrorFrame closed = leaverLive.awaitErrorFrame();
            assertThat(closed.message()).isEqualTo(ProblemCodes.ACCOUNT_DEACTIVATED);
            assertThat(leaverLive.awaitClosed()).isTrue();
            assertThat(stayerLive.awaitEvent("member.removed").get("userId").asString()).isEqualTo(leaver.id().toString());
        }
        assertThat(members(group)).containsOnlyKeys(stayer.id());
        clients.rest(leaver).get("/api/v1/me").problem(401, ProblemCodes.ACCOUNT_DEACTIVATED);
        // Their history stays: the account and its membership record are still there.
        assertThat(jdbc.sql("SELECT count(*) FROM chat.membership_change WHERE user_id = :u AND change = 'JOINED'")
                .param("u", leaver.id()).query(Long.class).single()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- steps

    private String department(String name, String parentId) {
        return admin.post("/api/v1/org/departments", body("name", name + " " + UUID.randomUUID().toString().substring(0, 6),
                "parentId", parentId)).status(201).json().get("id").asString();
    }

    private void join(TestUser user, String department) {
        admin.exchange(HttpMethod.PUT, "/api/v1/org/departments/" + department + "/members/" + user.id(), body()).status(201);
    }

    private void heads(String department, TestUser... heads) {
        admin.exchange(HttpMethod.PUT, "/api/v1/org/departments/" + department + "/heads",
                body("userIds", java.util.Arrays.stream(heads).map(TestUser::id).toList())).ok();
    }

    private String openGroup(String department, boolean includeSubDepartments) {
        return admin.post("/api/v1/department-groups", body("departmentId", department,
                "includeSubDepartments", includeSubDepartments)).status(201).json().get("conversationId").asString();
    }

    /** Members and roles straight from the database. */
    private Map<UUID, String> members(String group) {
        Map<UUID, String> members = new HashMap<>();
        jdbc.sql("SELECT user_id, role FROM chat.member WHERE conversation_id = :c").param("c", UUID.fromString(group))
                .query((rs, n) -> members.put(rs.getObject("user_id", UUID.class), rs.getString("role"))).list();
        return members;
    }

    private long history(String group) {
        return jdbc.sql("SELECT count(*) FROM chat.membership_change WHERE conversation_id = :c")
                .param("c", UUID.fromString(group)).query(Long.class).single();
    }
}
