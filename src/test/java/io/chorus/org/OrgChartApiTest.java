package io.chorus.org;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.identity.IdentityEvents;
import io.chorus.identity.UserAccounts;
import io.chorus.identity.UserId;
import io.chorus.platform.ProblemCodes;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The org chart over REST on a real PostgreSQL: the tree, memberships, heads, managers, directory search. */
@ChorusIntegrationTest
class OrgChartApiTest {

    private static final String DEPARTMENTS = "/api/v1/org/departments";

    @Autowired
    TestClients clients;

    @Autowired
    OrgDirectory directory;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    UserAccounts accounts;

    private RestApi admin;

    @BeforeEach
    void setUp() {
        admin = clients.rest(clients.orgAdmin());
    }

    @Test
    void departmentsFormATreeAndASubtreeMovesInOneStep() {
        String hq = department("HQ", null);
        String engineering = department("Engineering", hq);
        String platform = department("Platform", engineering);
        String finance = department("Finance", hq);

        JsonNode hqNode = findNode(admin.get(DEPARTMENTS).ok().json().get("departments"), hq);
        assertThat(names(hqNode.get("children"))).containsExactly(name(engineering), name(finance));
        assertThat(names(findNode(hqNode, engineering).get("children"))).containsExactly(name(platform));

        // Engineering moves under Finance, taking Platform along.
        admin.post(DEPARTMENTS + "/" + engineering + "/move", body("parentId", finance)).ok();
        JsonNode moved = findNode(admin.get(DEPARTMENTS).ok().json().get("departments"), finance);
        assertThat(names(moved.get("children"))).containsExactly(name(engineering));
        assertThat(names(findNode(moved, engineering).get("children"))).containsExactly(name(platform));
        assertThat(publishedEvents(OrgEvents.DepartmentMoved.class, engineering)).singleElement()
                .satisfies(event -> assertThat(event).contains(finance));

        // To the top level and back again.
        admin.post(DEPARTMENTS + "/" + platform + "/move", RestApi.body("parentId", null)).ok();
        assertThat(admin.get(DEPARTMENTS + "/" + platform).ok().json().get("parentId").isNull()).isTrue();
    }

    @Test
    void aDepartmentCannotMoveBelowItselfOrItsOwnSubtree() {
        String top = department("Top", null);
        String middle = department("Middle", top);
        String bottom = department("Bottom", middle);

        admin.post(DEPARTMENTS + "/" + top + "/move", body("parentId", bottom)).problem(409, OrgProblems.DEPARTMENT_CYCLE);
        admin.post(DEPARTMENTS + "/" + top + "/move", body("parentId", top)).problem(409, OrgProblems.DEPARTMENT_CYCLE);
        assertThat(admin.get(DEPARTMENTS + "/" + top).ok().json().get("parentId").isNull()).isTrue();
        assertThat(admin.get(DEPARTMENTS + "/" + bottom).ok().json().get("parentId").asString()).isEqualTo(middle);
    }

    @Test
    void onlyAnEmptyDepartmentCanBeDeleted() {
        String parent = department("Parent", null);
        String child = department("Child", parent);
        TestUser member = clients.user("member");

        admin.delete(DEPARTMENTS + "/" + parent).problem(409, OrgProblems.DEPARTMENT_NOT_EMPTY);
        join(member, child, "Clerk", null).status(201);
        admin.delete(DEPARTMENTS + "/" + child).problem(409, OrgProblems.DEPARTMENT_NOT_EMPTY);

        admin.delete(DEPARTMENTS + "/" + child + "/members/" + member.id()).status(204);
        admin.delete(DEPARTMENTS + "/" + child).status(204);
        admin.delete(DEPARTMENTS + "/" + parent).status(204);
        admin.get(DEPARTMENTS + "/" + parent).problem(404, OrgProblems.DEPARTMENT_NOT_FOUND);
    }

    @Test
    void employeesReadTheChartButOnlyOrgAdminsChangeIt() {
        String department = department("Readable", null);
        RestApi employee = clients.rest(clients.user("employee"));

        employee.get(DEPARTMENTS).ok();
        employee.get(DEPARTMENTS + "/" + department + "/members").ok();
        employee.post(DEPARTMENTS, body("name", "Mine")).problem(403, ProblemCodes.FORBIDDEN);
        employee.patch(DEPARTMENTS + "/" + department, body("name", "Mine")).problem(403, ProblemCodes.FORBIDDEN);
        employee.delete(DEPARTMENTS + "/" + department).problem(403, ProblemCodes.FORBIDDEN);
        employee.exchange(HttpMethod.PUT, DEPARTMENTS + "/" + department + "/heads", body("userIds", List.of()))
                .problem(403, ProblemCodes.FORBIDDEN);
        assertThat(admin.get(DEPARTMENTS + "/" + department).ok().json().get("name").asString()).startsWith("Readable");
    }

    @Test
    void aUsersFirstDepartmentIsPrimaryAndLeavingItPromotesTheNextOne() {
        TestUser user = clients.user("mover");
        String sales = department("Sales", null);
        String support = department("Support", null);

        assertThat(join(user, sales, "Account Executive", null).status(201).json().get("primary").asBoolean()).isTrue();
        assertThat(join(user, sales, "Account Executive", false).ok().json().get("primary").asBoolean())
                .as("an only department stays primary").isTrue();
        assertThat(join(user, support, "Trainer", null).status(201).json().get("primary").asBoolean()).isFalse();
        assertThat(join(user, support, "Trainer", true).ok().json().get("primary").asBoolean()).isTrue();
        assertThat(primaryOf(user)).isEqualTo(support);

        admin.delete(DEPARTMENTS + "/" + support + "/members/" + user.id()).status(204);
        assertThat(primaryOf(user)).isEqualTo(sales);
        admin.delete(DEPARTMENTS + "/" + support + "/members/" + user.id()).problem(404, OrgProblems.MEMBERSHIP_NOT_FOUND);
        assertThat(publishedEvents(OrgEvents.EmployeeLeftDepartment.class, user.id().toString())).hasSize(1);
    }

    @Test
    void theManagerIsTheExplicitOneOrElseTheNearestHeadAboveWhoIsSomeoneElse() {
        TestUser ceo = clients.user("ceo");
        TestUser cto = clients.user("cto");
        TestUser engineer = clients.user("engineer");
        TestUser intern = clients.user("intern");
        String company = department("Company", null);
        String engineering = department("Engineering", company);
        String platform = department("Platform", engineering);
        join(ceo, company, "CEO", null);
        join(cto, engineering, "CTO", null);
        join(engineer, platform, "Engineer", null);
        join(intern, platform, "Intern", null);
        heads(company, ceo);
        heads(engineering, cto);

        // Platform has no head: the engineer's manager is Engineering's head; the CTO heads their own
        // department, so theirs is the head above; the CEO has nobody above.
        assertThat(chain(engineer, 10)).containsExactly(cto.id(), ceo.id());
        assertThat(chain(cto, 10)).containsExactly(ceo.id());
        assertThat(chain(ceo, 10)).isEmpty();
        assertThat(chain(engineer, 1)).containsExactly(cto.id());

        // An explicit manager wins over the heads.
        setManager(intern, engineer).ok();
        assertThat(chain(intern, 10)).containsExactly(engineer.id(), cto.id(), ceo.id());
        assertThat(directory.managerChain(UserId.of(intern.id()), 2)).extracting(EmployeeSummary::userId)
                .containsExactly(engineer.id(), cto.id());

        // No loops of explicit managers, and nobody manages themself.
        setManager(engineer, intern).problem(409, OrgProblems.MANAGER_CYCLE);
        setManager(intern, intern).problem(409, OrgProblems.MANAGER_CYCLE);
        setManager(intern, null).ok();
        assertThat(chain(intern, 10)).containsExactly(cto.id(), ceo.id());
    }

    @Test
    void twoManagerChangesThatAreEachFineButTogetherALoopLetExactlyOneThrough() throws Exception {
        TestUser first = clients.user("first");
        TestUser second = clients.user("second");
        setManager(first, null).ok();
        setManager(second, null).ok();
        awaitEntries(first, second);

        List<RestApi.Response> answers = meetingAtTheirWrites("SELECT 1 FROM org.employee WHERE user_id IN (?, ?) FOR UPDATE",
                List.of(first.id(), second.id()),
                List.of(() -> setManager(first, second), () -> setManager(second, first)));

        assertThat(answers).extracting(RestApi.Response::status).containsExactlyInAnyOrder(200, 409);
        answers.stream().filter(answer -> answer.status() == 409).findFirst().orElseThrow()
                .problem(409, OrgProblems.MANAGER_CYCLE);
        assertThat(chain(first, 10).size() + chain(second, 10).size()).as("one manages the other, not both").isEqualTo(1);
    }

    @Test
    void twoConcurrentHeadChangesLeaveOneOfTheRequestedSetsNotAMixture() throws Exception {
        TestUser first = clients.user("first-head");
        TestUser second = clients.user("second-head");
        String department = department("Contested", null);

        List<RestApi.Response> answers = meetingAtTheirWrites("SELECT 1 FROM org.department WHERE id = ? FOR UPDATE",
                List.of(UUID.fromString(department)),
                List.of(() -> putHeads(department, first), () -> putHeads(department, second)));

        assertThat(answers).extracting(RestApi.Response::status).containsOnly(200);
        List<UUID> heads = new ArrayList<>();
        admin.get(DEPARTMENTS + "/" + department).ok().json().get("heads")
                .forEach(head -> heads.add(UUID.fromString(head.asString())));
        assertThat(heads).hasSize(1).containsAnyOf(first.id(), second.id());
    }

    @Test
    void aRenameAndAMoveAtTheSameTimeBothTakeEffect() throws Exception {
        String from = department("From", null);
        String to = department("To", null);
        String moving = department("Moving", from);

        List<RestApi.Response> answers = meetingAtTheirWrites("SELECT 1 FROM org.department WHERE id = ? FOR UPDATE",
                List.of(UUID.fromString(moving)),
                List.of(() -> admin.patch(DEPARTMENTS + "/" + moving, body("name", "Renamed " + moving)),
                        () -> admin.post(DEPARTMENTS + "/" + moving + "/move", body("parentId", to))));

        assertThat(answers).extracting(RestApi.Response::status).containsOnly(200);
        JsonNode after = admin.get(DEPARTMENTS + "/" + moving).ok().json();
        assertThat(after.get("name").asString()).isEqualTo("Renamed " + moving);
        assertThat(after.get("parentId").asString()).isEqualTo(to);
    }

    @Test
    void membersComeWithOrWithoutSubDepartmentsEachPersonOnceAndInPages() {
        String parent = department("Parent", null);
        String child = department("Child", parent);
        List<TestUser> people = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TestUser person = clients.user("person");
            people.add(person);
            join(person, i < 2 ? parent : child, null, null);
        }
        // In both departments: listed once, with the primary membership.
        join(people.get(0), child, "Also here", null);

        assertThat(memberIds(parent, false, 50)).containsExactlyInAnyOrder(people.get(0).id(), people.get(1).id());
        assertThat(memberIds(child, false, 50)).hasSize(4);
        List<UUID> everyone = memberIds(parent, true, 2);
        assertThat(everyone).hasSize(5).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(people.stream().map(TestUser::id).toList());
    }

    @Test
    void directorySearchFindsChineseNamesByPinyinInitialsTitleAndDepartment() {
        TestUser zhang = clients.named("zs", "张三丰");
        TestUser li = clients.named("ls", "李四");
        String finance = department("财务部", null);
        join(li, finance, "出纳", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> directory.employee(UserId.of(zhang.id())).isPresent());

        assertThat(search("zhangsanfeng")).contains(zhang.id()).doesNotContain(li.id());
        assertThat(search("zhang san")).contains(zhang.id());
        assertThat(search("zsf")).contains(zhang.id()).doesNotContain(li.id());
        assertThat(search("ＺＳＦ")).contains(zhang.id());
        assertThat(search("张三")).contains(zhang.id()).doesNotContain(li.id());
        assertThat(search(zhang.username())).containsExactly(zhang.id());
        assertThat(search("出纳")).contains(li.id()).doesNotContain(zhang.id());
        assertThat(search(name(finance))).contains(li.id());
        // LIKE wildcards are text, not patterns.
        assertThat(search("%")).doesNotContain(zhang.id(), li.id());

        admin.get("/api/v1/org/users?q=").problem(400, ProblemCodes.VALIDATION_FAILED);
        admin.get("/api/v1/org/users?q=x&cursor=garbage").problem(400, ProblemCodes.VALIDATION_FAILED);
    }

    @Test
    void searchPagesWithACursorWithoutRepeatsOrGaps() {
        String tag = "pg" + UUID.randomUUID().toString().substring(0, 6);
        List<UUID> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(clients.named(tag, "Pager " + tag + " " + i).id());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> search(tag).size() == 5);
        List<UUID> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = admin.get("/api/v1/org/users?limit=2&q=" + tag + (cursor == null ? "" : "&cursor=" + cursor))
                    .ok().json();
            page.get("items").forEach(item -> seen.add(UUID.fromString(item.get("userId").asString())));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(made).doesNotHaveDuplicates();
    }

    @Test
    void aBotIsNoEmployeeSearchFindsItNotAndTheChartRefusesIt() {
        String tag = "Robo" + UUID.randomUUID().toString().substring(0, 8);
        UserId bot = accounts.provisionBot("bot-" + tag.toLowerCase(), tag + " Approvals");
        TestUser person = clients.named("human", tag + " Human");
        // The bot's account event has reached the directory's listener, which had its chance to copy it.
        await().atMost(Duration.ofSeconds(15)).until(() -> jdbc.sql("""
                SELECT count(*) FROM event_publication WHERE event_type = :type AND serialized_event LIKE :id
                  AND listener_id LIKE '%EmployeeEntries%' AND completion_date IS NOT NULL
                """).param("type", IdentityEvents.UserAccountChanged.class.getName())
                .param("id", "%" + bot + "%").query(Long.class).single() == 1);
        await().atMost(Duration.ofSeconds(15)).until(() -> search(tag).contains(person.id()));

        assertThat(search(tag)).containsExactly(person.id());
        assertThat(directory.employee(bot)).isEmpty();
        admin.get("/api/v1/org/users/" + bot).problem(404, OrgProblems.EMPLOYEE_NOT_FOUND);
        String department = department("Bots", null);
        admin.exchange(HttpMethod.PUT, DEPARTMENTS + "/" + department + "/members/" + bot, body())
                .problem(404, OrgProblems.EMPLOYEE_NOT_FOUND);
        admin.exchange(HttpMethod.PUT, DEPARTMENTS + "/" + department + "/heads", body("userIds", List.of(bot.value())))
                .problem(422, OrgProblems.EMPLOYEE_NOT_FOUND);
        admin.exchange(HttpMethod.PUT, "/api/v1/org/users/" + person.id() + "/manager", body("managerId", bot.value()))
                .problem(422, OrgProblems.EMPLOYEE_NOT_FOUND);
        assertThat(memberIds(department, false, 50)).isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM org.employee WHERE user_id = :id").param("id", bot.value())
                .query(Long.class).single()).isZero();
    }

    @Test
    void badInputChangesNothing() {
        String department = department("Stable", null);
        admin.post(DEPARTMENTS, body("name", "")).problem(400, ProblemCodes.VALIDATION_FAILED);
        admin.post(DEPARTMENTS, body("name", "x".repeat(101))).problem(400, ProblemCodes.VALIDATION_FAILED);
        admin.post(DEPARTMENTS, body("name", "Orphan", "parentId", UUID.randomUUID())).problem(404, OrgProblems.DEPARTMENT_NOT_FOUND);
        admin.exchange(HttpMethod.PUT, DEPARTMENTS + "/" + department + "/members/" + UUID.randomUUID(), body())
                .problem(404, OrgProblems.EMPLOYEE_NOT_FOUND);
        admin.exchange(HttpMethod.PUT, DEPARTMENTS + "/" + department + "/heads", body("userIds", List.of(UUID.randomUUID())))
                .problem(422, OrgProblems.EMPLOYEE_NOT_FOUND);
        admin.get(DEPARTMENTS + "/" + department + "/members?cursor=%%%").problem(400, ProblemCodes.VALIDATION_FAILED);
        JsonNode after = admin.get(DEPARTMENTS + "/" + department).ok().json();
        assertThat(after.get("heads")).isEmpty();
        assertThat(admin.get(DEPARTMENTS + "/" + department + "/members").ok().json().get("items")).isEmpty();
    }

    // ---------------------------------------------------------------- steps

    /**
     * Events of that type mentioning {@code id}, as the publication registry stored them: one row
     * per listener (chat's department groups, the audit trail), so each event once, in order.
     */
    private List<String> publishedEvents(Class<?> type, String id) {
        return jdbc.sql("SELECT serialized_event FROM event_publication WHERE event_type = :type AND serialized_event LIKE :id"
                        + " GROUP BY serialized_event ORDER BY min(publication_date)")
                .param("type", type.getName()).param("id", "%" + id + "%").query(String.class).list();
    }

    /**
     * Sends the requests while a transaction of the test's own holds the rows they write, and lets
     * go only once every request is waiting for a lock: whatever each one checked on its own, they
     * reach their writes together, as two admins clicking at once could.
     */
    private List<RestApi.Response> meetingAtTheirWrites(String lockRows, List<UUID> rows,
            List<Callable<RestApi.Response>> requests) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(requests.size());
        try (Connection held = dataSource.getConnection()) {
            held.setAutoCommit(false);
            try (PreparedStatement lock = held.prepareStatement(lockRows)) {
                for (int i = 0; i < rows.size(); i++) {
                    lock.setObject(i + 1, rows.get(i));
                }
                lock.executeQuery().close();
            }
            List<Future<RestApi.Response>> sent = requests.stream().map(senders::submit).toList();
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("""
                    SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()
                    """).query(Long.class).single() >= requests.size());
            held.rollback();
            List<RestApi.Response> answers = new ArrayList<>();
            for (Future<RestApi.Response> answer : sent) {
                answers.add(answer.get(30, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            senders.shutdownNow();
        }
    }

    /** Waits for the account events to reach the directory entries, so nothing else writes them meanwhile. */
    private void awaitEntries(TestUser... users) {
        for (TestUser user : users) {
            await().atMost(Duration.ofSeconds(15)).until(() -> jdbc.sql(
                    "SELECT count(*) FROM org.employee WHERE user_id = :id AND version > 0")
                    .param("id", user.id()).query(Long.class).single() == 1);
        }
    }

    private RestApi.Response putHeads(String departmentId, TestUser... heads) {
        return admin.exchange(HttpMethod.PUT, DEPARTMENTS + "/" + departmentId + "/heads",
                body("userIds", java.util.Arrays.stream(heads).map(TestUser::id).toList()));
    }

    private final Map<String, String> names = new HashMap<>();

    private String department(String name, String parentId) {
        String unique = name + " " + UUID.randomUUID().toString().substring(0, 6);
        String id = admin.post(DEPARTMENTS, body("name", unique, "parentId", parentId)).status(201).json().get("id").asString();
        names.put(id, unique);
        return id;
    }

    private String name(String departmentId) {
        return names.get(departmentId);
    }

    private RestApi.Response join(TestUser user, String departmentId, String title, Boolean primary) {
        return admin.exchange(HttpMethod.PUT, DEPARTMENTS + "/" + departmentId + "/members/" + user.id(),
                body("title", title, "primary", primary));
    }

    private void heads(String departmentId, TestUser... heads) {
        admin.exchange(HttpMethod.PUT, DEPARTMENTS + "/" + departmentId + "/heads",
                body("userIds", java.util.Arrays.stream(heads).map(TestUser::id).toList())).ok();
    }

    private RestApi.Response setManager(TestUser user, TestUser manager) {
        return admin.exchange(HttpMethod.PUT, "/api/v1/org/users/" + user.id() + "/manager",
                body("managerId", manager == null ? null : manager.id()));
    }

    private List<UUID> chain(TestUser user, int levels) {
        return ids(admin.get("/api/v1/org/users/" + user.id() + "/manager-chain?levels=" + levels).ok().json()
                .get("managers"), "userId");
    }

    private String primaryOf(TestUser user) {
        JsonNode departments = admin.get("/api/v1/org/users/" + user.id()).ok().json().get("departments");
        return StreamSupport.stream(departments.spliterator(), false).filter(d -> d.get("primary").asBoolean())
                .map(d -> d.get("departmentId").asString()).reduce((a, b) -> {
                    throw new AssertionError("two primary departments: " + a + ", " + b);
                }).orElseThrow();
    }

    private List<UUID> memberIds(String departmentId, boolean includeSub, int pageSize) {
        List<UUID> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = admin.get(DEPARTMENTS + "/" + departmentId + "/members?limit=" + pageSize
                    + "&includeSubDepartments=" + includeSub + (cursor == null ? "" : "&cursor=" + cursor)).ok().json();
            all.addAll(ids(page.get("items"), "userId"));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        return all;
    }

    private List<UUID> search(String query) {
        // RestClient encodes the query itself (UTF-8), so it is passed as typed.
        return ids(admin.get("/api/v1/org/users?limit=100&q=" + query).ok().json().get("items"), "userId");
    }

    private static List<UUID> ids(JsonNode array, String field) {
        List<UUID> ids = new ArrayList<>();
        array.forEach(item -> ids.add(UUID.fromString(item.get(field).asString())));
        return ids;
    }

    private static List<String> names(JsonNode nodes) {
        List<String> names = new ArrayList<>();
        nodes.forEach(node -> names.add(node.get("name").asString()));
        return names;
    }

    private static JsonNode findNode(JsonNode nodes, String id) {
        for (JsonNode node : nodes.isArray() ? nodes : nodes.get("children")) {
            if (node.get("id").asString().equals(id)) {
                return node;
            }
            JsonNode below = findNode(node.get("children"), id);
            if (below != null) {
                return below;
            }
        }
        return null;
    }
}
