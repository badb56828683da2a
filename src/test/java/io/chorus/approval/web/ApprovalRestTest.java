package io.chorus.approval.web;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.approval.ApprovalProblems;
import io.chorus.identity.UserId;
import io.chorus.org.DepartmentId;
import io.chorus.org.OrgChart;
import io.chorus.platform.ProblemCodes;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * The approval REST API end to end, as an org_admin, employees, approvers and an integration
 * use it: each test builds its own small company (a department with a head, an employee with a
 * manager) through the org module and its own leave template through the API.
 */
@ChorusIntegrationTest
class ApprovalRestTest {

    private static final String TEMPLATES = "/api/v1/approvals/templates";
    private static final String INSTANCES = "/api/v1/approvals/instances";
    private static final String TASKS = "/api/v1/approvals/tasks";

    @Autowired
    TestClients clients;
    @Autowired
    OrgChart chart;
    @Autowired
    JdbcClient jdbc;

    TestUser adminUser;
    TestUser head;
    TestUser lead;
    TestUser bob;
    TestUser outsider;
    RestApi admin;

    @BeforeEach
    void company() {
        adminUser = clients.orgAdmin();
        admin = clients.rest(adminUser);
        head = clients.user("head");
        lead = clients.user("lead");
        bob = clients.user("bob");
        outsider = clients.user("outsider");
        DepartmentId company = chart.createDepartment("Company " + suffix(), null, 0, null, null).id();
        DepartmentId engineering = chart.createDepartment("Engineering " + suffix(), company, 0, null, null).id();
        for (TestUser member : List.of(head, lead, bob)) {
            chart.setMembership(UserId.of(member.id()), engineering, "Staff", true, null);
        }
        chart.setHeads(engineering, List.of(UserId.of(head.id())), null);
        chart.setManager(UserId.of(bob.id()), UserId.of(lead.id()), null);
    }

    // ----- the round trip

    @Test
    void leaveOfThreeDaysGoesToTheManagerThenTheDepartmentHead() {
        JsonNode template = admin.post(TEMPLATES, leaveTemplate("Leave")).status(201).json();
        assertThat(template.get("version").asInt()).isEqualTo(1);
        assertThat(template.at("/flow/1/branches/0/when/op").asString()).isEqualTo("GE");
        UUID templateId = id(template);

        RestApi.Response submitted = rest(bob).post(INSTANCES, submit(templateId, leave(3))).status(201);
        JsonNode instance = submitted.json();
        assertThat(submitted.headers().getLocation()).hasToString(INSTANCES + "/" + id(instance));
        assertThat(submitted.headers().getFirst("Idempotency-Replayed")).isNull();
        assertThat(instance.get("state").asString()).isEqualTo("PENDING");
        assertThat(instance.get("requesterId").asString()).isEqualTo(bob.id().toString());
        assertThat(instance.at("/form/period/days").asInt()).isEqualTo(3);

        JsonNode pending = rest(lead).get(TASKS + "?state=pending&templateId=" + templateId).ok().json();
        assertThat(pending.get("items")).hasSize(1);
        assertThat(pending.at("/items/0/instanceId").asString()).isEqualTo(id(instance).toString());
        assertThat(pending.at("/items/0/stepName").asString()).isEqualTo("Manager");
        assertThat(pending.get("nextCursor").isNull()).isTrue();

        JsonNode afterLead = rest(lead).post(TASKS + "/" + pending.at("/items/0/id").asString() + "/approve",
                body("comment", "Enjoy")).ok().json();
        assertThat(afterLead.get("state").asString()).isEqualTo("PENDING");
        assertThat(pendingApprovers(afterLead)).containsExactly(head.id().toString());

        UUID headTask = pendingTask(afterLead, head);
        JsonNode done = rest(head).post(TASKS + "/" + headTask + "/approve", null).ok().json();
        assertThat(done.get("state").asString()).isEqualTo("APPROVED");

        JsonNode read = rest(bob).get(INSTANCES + "/" + id(instance)).ok().json();
        assertThat(actions(read)).containsSubsequence("SUBMITTED", "APPROVED", "APPROVED", "COMPLETED_APPROVED");
        assertThat(read.at("/timeline/1/comment").asString()).isEqualTo("Enjoy");
        assertThat(rest(lead).get(TASKS + "?state=handled&templateId=" + templateId).ok().json().get("items"))
                .hasSize(1);
        assertThat(rest(lead).get(TASKS + "?templateId=" + templateId).ok().json().get("items")).isEmpty();
    }

    @Test
    void aShortLeaveTakesTheDefaultBranchAndOnlyTheManagerDecides() {
        UUID templateId = createTemplate("Leave");
        JsonNode instance = rest(bob).post(INSTANCES, submit(templateId, leave(1))).status(201).json();

        JsonNode done = rest(lead).post(TASKS + "/" + pendingTask(instance, lead) + "/approve", body()).ok().json();

        assertThat(done.get("state").asString()).isEqualTo("APPROVED");
        assertThat(pendingApprovers(done)).isEmpty();
    }

    @Test
    void aBadFormListsEveryFieldErrorAndStoresNothing() {
        UUID templateId = createTemplate("Leave");
        long before = instances(templateId);

        JsonNode problem = rest(bob).post(INSTANCES, body("templateId", templateId, "form",
                        body("type", "Sabbatical", "period", body("start", "2027-01-09", "end", "2027-01-04"))))
                .problem(400, ApprovalProblems.FORM_INVALID).json();
        JsonNode missing = rest(bob).post(INSTANCES, body("templateId", templateId, "form", body()))
                .problem(400, ApprovalProblems.FORM_INVALID).json();

        assertThat(fields(problem)).containsExactlyInAnyOrder("type", "period.end");
        assertThat(fields(missing)).containsExactlyInAnyOrder("type", "period");
        assertThat(instances(templateId)).isEqualTo(before).isZero();
    }

    // ----- who may do what

    @Test
    void whoeverIsNotPartOfARequestNeitherSeesNorDecidesIt() {
        UUID templateId = createTemplate("Leave");
        JsonNode instance = rest(bob).post(INSTANCES, submit(templateId, leave(1))).status(201).json();
        UUID task = pendingTask(instance, lead);

        rest(outsider).get(INSTANCES + "/" + id(instance)).problem(404, ApprovalProblems.INSTANCE_NOT_FOUND);
        rest(outsider).post(TASKS + "/" + task + "/approve", null).problem(404, ApprovalProblems.TASK_NOT_FOUND);
        rest(outsider).post(INSTANCES + "/" + id(instance) + "/withdraw", null)
                .problem(404, ApprovalProblems.INSTANCE_NOT_FOUND);
        // bob is part of it, but the task is lead's
        rest(bob).post(TASKS + "/" + task + "/approve", null).problem(403, ApprovalProblems.NOT_YOUR_TASK);
        rest(bob).get(INSTANCES + "/not-a-uuid").problem(400, "VALIDATION_FAILED");
        rest(bob).get(TASKS + "?state=later").problem(400, "VALIDATION_FAILED");
        rest(bob).get(TASKS + "?templateId=nope").problem(400, "VALIDATION_FAILED");
        rest(bob).get(TASKS + "?limit=201").problem(400, "VALIDATION_FAILED");
        // an org_admin sees every request
        assertThat(admin.get(INSTANCES + "/" + id(instance)).ok().json().get("state").asString()).isEqualTo("PENDING");
        assertThat(rest(lead).get(INSTANCES + "/" + id(instance)).ok().json().get("state").asString())
                .isEqualTo("PENDING");
    }

    @Test
    void onlyOrgAdminsWriteTemplatesAndSeeDisabledOnes() {
        UUID templateId = createTemplate("Leave");

        rest(bob).post(TEMPLATES, leaveTemplate("Mine")).problem(403, "FORBIDDEN");
        rest(bob).exchange(HttpMethod.PUT, TEMPLATES + "/" + templateId, leaveTemplate("Mine"))
                .problem(403, "FORBIDDEN");
        rest(bob).post(TEMPLATES + "/" + templateId + "/disable", null).problem(403, "FORBIDDEN");
        rest(bob).get(TEMPLATES + "?includeDisabled=true").problem(403, "FORBIDDEN");
        assertThat(rest(bob).get(TEMPLATES + "/" + templateId).ok().json().get("name").asString()).isEqualTo("Leave");
    }

    @Test
    void anInvalidTemplateListsEveryInvalidPart() {
        JsonNode problem = admin.post(TEMPLATES, body("name", "", "category", "HR", "form",
                        body("fields", List.of(body("key", "1st", "label", "First", "type", "TEXT"))), "flow", List.of()))
                .problem(400, ApprovalProblems.TEMPLATE_INVALID).json();

        assertThat(fields(problem)).contains("name", "form.fields[0].key", "flow");
        admin.postRaw(TEMPLATES, """
                {"name": "Holes", "category": "HR", "form": {"fields": [null]}, "flow": [null]}
                """).problem(400, "VALIDATION_FAILED");
    }

    // ----- Idempotency-Key and integrations

    @Test
    void theSameIdempotencyKeyAndBodyAnswerTheFirstRequestAndAnotherBodyIsRefused() {
        UUID templateId = createTemplate("Leave");
        String key = "leave-" + UUID.randomUUID();

        RestApi.Response first = withKey(bob, key, submit(templateId, leave(2))).status(201);
        RestApi.Response again = withKey(bob, key, submit(templateId, leave(2))).ok();
        RestApi.Response other = withKey(bob, key, submit(templateId, leave(4)));

        assertThat(id(again.json())).isEqualTo(id(first.json()));
        assertThat(again.headers().getFirst("Idempotency-Replayed")).isEqualTo("true");
        other.problem(409, ProblemCodes.IDEMPOTENCY_KEY_REUSED);
        assertThat(instances(templateId)).isOne();
        // a key is the caller's own: another caller with the same key files a request of their own
        assertThat(id(withKey(lead, key, submit(templateId, leave(2))).status(201).json()))
                .isNotEqualTo(id(first.json()));
    }

    @Test
    void anIntegrationFilesOnBehalfOfAnEmployeeButAnEmployeeCannot() {
        UUID templateId = createTemplate("Leave");
        TestUser integration = clients.user("oa", List.of("employee", "integration"));

        JsonNode filed = rest(integration).post(INSTANCES, body("templateId", templateId, "form", leave(2),
                "requesterId", bob.id())).status(201).json();

        assertThat(filed.get("requesterId").asString()).isEqualTo(bob.id().toString());
        assertThat(filed.get("submittedBy").asString()).isEqualTo(integration.id().toString());
        assertThat(pendingApprovers(filed)).containsExactly(lead.id().toString());
        assertThat(ids(rest(integration).get(INSTANCES + "?view=submitted&templateId=" + templateId).ok().json()))
                .containsExactly(id(filed));
        assertThat(ids(rest(bob).get(INSTANCES + "?templateId=" + templateId).ok().json())).containsExactly(id(filed));
        rest(integration).get(INSTANCES + "/" + id(filed)).ok();

        rest(outsider).post(INSTANCES, body("templateId", templateId, "form", leave(2), "requesterId", bob.id()))
                .problem(403, ApprovalProblems.ON_BEHALF_NOT_ALLOWED);
        assertThat(instances(templateId)).isOne();
    }

    // ----- versions and disabling

    @Test
    void publishingAnEditLeavesRunningRequestsOnTheirVersion() {
        UUID templateId = createTemplate("Leave");
        JsonNode running = rest(bob).post(INSTANCES, submit(templateId, leave(1))).status(201).json();

        JsonNode edited = admin.exchange(HttpMethod.PUT, TEMPLATES + "/" + templateId, leaveTemplate("Leave v2"))
                .ok().json();
        JsonNode later = rest(bob).post(INSTANCES, submit(templateId, leave(1))).status(201).json();

        assertThat(edited.get("version").asInt()).isEqualTo(2);
        assertThat(rest(bob).get(TEMPLATES + "/" + templateId).ok().json().get("name").asString())
                .isEqualTo("Leave v2");
        assertThat(rest(bob).get(TEMPLATES + "/" + templateId + "/versions/1").ok().json().get("name").asString())
                .isEqualTo("Leave");
        rest(bob).get(TEMPLATES + "/" + templateId + "/versions/3").problem(404, ApprovalProblems.TEMPLATE_NOT_FOUND);
        assertThat(rest(bob).get(INSTANCES + "/" + id(running)).ok().json().get("templateVersion").asInt()).isOne();
        assertThat(later.get("templateVersion").asInt()).isEqualTo(2);
        assertThat(rest(lead).post(TASKS + "/" + pendingTask(running, lead) + "/approve", null).ok().json()
                .get("state").asString()).isEqualTo("APPROVED");
    }

    @Test
    void aDisabledTemplateTakesNoRequestsButRunningOnesGoOn() {
        UUID templateId = createTemplate("Leave");
        JsonNode running = rest(bob).post(INSTANCES, submit(templateId, leave(1))).status(201).json();

        JsonNode disabled = admin.post(TEMPLATES + "/" + templateId + "/disable", null).ok().json();

        assertThat(disabled.get("enabled").asBoolean()).isFalse();
        rest(bob).post(INSTANCES, submit(templateId, leave(1))).problem(422, ApprovalProblems.TEMPLATE_DISABLED);
        rest(bob).get(TEMPLATES + "/" + templateId).problem(404, ApprovalProblems.TEMPLATE_NOT_FOUND);
        assertThat(ids(rest(bob).get(TEMPLATES).ok().json())).doesNotContain(templateId);
        assertThat(ids(admin.get(TEMPLATES + "?includeDisabled=true").ok().json())).contains(templateId);
        assertThat(rest(lead).post(TASKS + "/" + pendingTask(running, lead) + "/approve", null).ok().json()
                .get("state").asString()).isEqualTo("APPROVED");

        admin.post(TEMPLATES + "/" + templateId + "/enable", null).ok();
        rest(bob).post(INSTANCES, submit(templateId, leave(1))).status(201);
    }

    // ----- lists

    @Test
    void pendingTasksPageWithACursor() {
        UUID templateId = createTemplate("Leave");
        List<UUID> submitted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            submitted.add(id(rest(bob).post(INSTANCES, submit(templateId, leave(1))).status(201).json()));
        }

        JsonNode first = rest(lead).get(TASKS + "?state=pending&templateId=" + templateId + "&limit=2").ok().json();
        String cursor = first.get("nextCursor").asString();
        JsonNode second = rest(lead).get(TASKS + "?state=pending&templateId=" + templateId + "&limit=2&cursor="
                + cursor).ok().json();

        assertThat(first.get("items")).hasSize(2);
        assertThat(cursor).isNotBlank();
        assertThat(second.get("items")).hasSize(1);
        assertThat(second.get("nextCursor").isNull()).isTrue();
        List<UUID> seen = new ArrayList<>();
        for (JsonNode page : List.of(first, second)) {
            page.get("items").forEach(item -> seen.add(UUID.fromString(item.get("instanceId").asString())));
        }
        // newest first
        assertThat(seen).containsExactlyElementsOf(submitted.reversed());
        rest(lead).get(TASKS + "?cursor=garbage").problem(400, "VALIDATION_FAILED");
    }

    // ----- support

    private RestApi rest(TestUser user) {
        return clients.rest(user);
    }

    /** A submit with an Idempotency-Key header, which {@link RestApi} does not send. */
    private RestApi.Response withKey(TestUser user, String key, Object body) {
        return RestClient.builder().baseUrl("http://localhost:" + clients.port()).build().post().uri(INSTANCES)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + user.token()).header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).body(clients.json().writeValueAsString(body))
                .exchange((request, response) -> {
                    String text = response.bodyTo(String.class);
                    return new RestApi.Response(response.getStatusCode().value(), response.getHeaders(),
                            text == null ? "" : text, clients.json());
                });
    }

    private UUID createTemplate(String name) {
        return id(admin.post(TEMPLATES, leaveTemplate(name)).status(201).json());
    }

    private long instances(UUID templateId) {
        return jdbc.sql("SELECT count(*) FROM approval.instance WHERE template_id = :template")
                .param("template", templateId).query(Long.class).single();
    }

    /** A leave form with a date range; its manager decides, and from 3 days on the department head too. */
    static Map<String, Object> leaveTemplate(String name) {
        return body("name", name, "category", "HR", "description", "Annual, sick or unpaid leave",
                "form", body("fields", List.of(
                        body("key", "type", "label", "Leave type", "type", "SINGLE_CHOICE", "required", true,
                                "options", List.of("Annual", "Sick", "Unpaid")),
                        body("key", "period", "label", "Period", "type", "DATE_RANGE", "required", true),
                        body("key", "reason", "label", "Reason", "type", "LONG_TEXT", "maxLength", 500))),
                "flow", List.of(
                        body("id", "manager", "kind", "APPROVAL", "name", "Manager",
                                "approvers", body("type", "MANAGER", "level", 1), "mode", "SEQUENTIAL",
                                "remindAfter", "PT24H"),
                        body("id", "length", "kind", "CONDITION", "name", "How long", "branches", List.of(
                                body("name", "3 days or more", "priority", 1,
                                        "when", body("field", "period.days", "op", "GE", "number", 3),
                                        "nodes", List.of(body("id", "head", "kind", "APPROVAL", "name", "Head",
                                                "approvers", body("type", "DEPARTMENT_HEAD"), "mode", "SEQUENTIAL"))),
                                body("name", "Shorter", "priority", 2, "nodes", List.of())))),
                "settings", body("requesterAsApprover", "SKIP", "dedupeConsecutive", false));
    }

    static Map<String, Object> submit(UUID templateId, Map<String, Object> form) {
        return body("templateId", templateId, "form", form);
    }

    /** Annual leave of {@code days} days from Monday 4 January 2027. */
    static Map<String, Object> leave(int days) {
        return body("type", "Annual", "period", body("start", "2027-01-04", "end", "2027-01-%02d".formatted(3 + days)),
                "reason", "Family visit");
    }

    static UUID id(JsonNode resource) {
        return UUID.fromString(resource.get("id").asString());
    }

    static List<UUID> ids(JsonNode page) {
        return StreamSupport.stream(page.get("items").spliterator(), false).map(ApprovalRestTest::id).toList();
    }

    static List<String> pendingApprovers(JsonNode instance) {
        return StreamSupport.stream(instance.get("tasks").spliterator(), false)
                .filter(task -> task.get("state").asString().equals("PENDING"))
                .map(task -> task.get("approverId").asString()).toList();
    }

    static UUID pendingTask(JsonNode instance, TestUser approver) {
        return StreamSupport.stream(instance.get("tasks").spliterator(), false)
                .filter(task -> task.get("state").asString().equals("PENDING")
                        && task.get("approverId").asString().equals(approver.id().toString()))
                .map(task -> UUID.fromString(task.get("id").asString())).findFirst().orElseThrow();
    }

    static List<String> actions(JsonNode instance) {
        return StreamSupport.stream(instance.get("timeline").spliterator(), false)
                .map(item -> item.get("action").asString()).toList();
    }

    static List<String> fields(JsonNode problem) {
        return StreamSupport.stream(problem.get("errors").spliterator(), false)
                .map(error -> error.get("field").asString()).toList();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 6);
    }
}
