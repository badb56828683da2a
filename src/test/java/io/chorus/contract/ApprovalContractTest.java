package io.chorus.contract;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.approval.ApprovalProblems;
import io.chorus.identity.UserId;
import io.chorus.org.DepartmentId;
import io.chorus.org.OrgChart;
import io.chorus.platform.ProblemCodes;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

/**
 * The approval endpoints against {@code frontend-contract/openapi.yaml}: every documented
 * response of {@code /api/v1/approvals/**} is shown by a real exchange, and every exchange
 * matches the document. {@link ContractTest} covers the rest of the API and leaves these
 * responses to this walkthrough.
 */
@ChorusIntegrationTest
class ApprovalContractTest {

    private static final UUID NOBODY = UUID.fromString("00000000-0000-4000-8000-000000000000");
    private static final String TEMPLATES = "/api/v1/approvals/templates";
    private static final String ROLES = "/api/v1/approvals/roles";
    private static final String INSTANCES = "/api/v1/approvals/instances";
    private static final String TASKS = "/api/v1/approvals/tasks";
    /**
     * Answers only a lost race gives (other changes to the request kept winning): commenting
     * refuses nothing else with 409. The approval module's concurrency tests provoke the race.
     */
    private static final Set<String> RACES_ONLY = Set.of("POST /api/v1/approvals/instances/{}/comments 409");

    private static OpenApiContract openApi;

    @Autowired
    TestClients clients;
    @Autowired
    OrgChart chart;

    @BeforeAll
    static void loadDocument() {
        openApi = OpenApiContract.load();
    }

    /** Whether a documented response ("METHOD /path status") is this walkthrough's to show. */
    static boolean approvalResponse(String response) {
        return response.contains(" /api/v1/approvals/");
    }

    @Test
    void everyApprovalOperationAnswersAsDocumented() {
        TestUser adminUser = clients.orgAdmin();
        TestUser headUser = clients.user("head");
        TestUser leadUser = clients.user("lead");
        TestUser bobUser = clients.user("bob");
        TestUser carolUser = clients.user("carol");
        TestUser outsiderUser = clients.user("outsider");
        TestUser oaUser = clients.user("oa", List.of("employee", "integration"));
        TestUser officerUser = clients.user("officer", List.of("compliance_officer"));
        DepartmentId department = chart.createDepartment("Approvals " + UUID.randomUUID().toString().substring(0, 6),
                null, 0, null, null).id();
        for (TestUser member : List.of(headUser, leadUser, bobUser, carolUser)) {
            chart.setMembership(UserId.of(member.id()), department, "Staff", true, null);
        }
        chart.setHeads(department, List.of(UserId.of(headUser.id())), null);
        chart.setManager(UserId.of(bobUser.id()), UserId.of(leadUser.id()), null);
        ContractClient admin = client(adminUser);
        ContractClient head = client(headUser);
        ContractClient lead = client(leadUser);
        ContractClient bob = client(bobUser);
        ContractClient carol = client(carolUser);
        ContractClient outsider = client(outsiderUser);
        ContractClient oa = client(oaUser);
        ContractClient officer = client(officerUser);
        String tag = UUID.randomUUID().toString().substring(0, 8);

        // ----- roles
        JsonNode hr = json(admin.post(ROLES, body("name", "HR " + tag, "holderIds", List.of(carolUser.id()))).status(201));
        String role = ROLES + "/" + hr.get("id").asText();
        admin.get(ROLES).ok();
        bob.get(role).ok();
        admin.put(role, body("name", "HR " + tag, "holderIds", List.of(carolUser.id(), headUser.id()))).ok();
        JsonNode other = json(admin.post(ROLES, body("name", "Other " + tag, "holderIds", List.of())).status(201));
        String otherRole = ROLES + "/" + other.get("id").asText();
        admin.post(ROLES, body("name", "HR " + tag, "holderIds", List.of()))
                .problem(409, ApprovalProblems.ROLE_NAME_TAKEN);
        admin.put(otherRole, body("name", "HR " + tag, "holderIds", List.of()))
                .problem(409, ApprovalProblems.ROLE_NAME_TAKEN);
        admin.post(ROLES, body("name", "Ghosts " + tag, "holderIds", List.of(NOBODY)))
                .problem(422, ApprovalProblems.INVALID_APPROVER);
        admin.put(otherRole, body("name", "Ghosts " + tag, "holderIds", List.of(NOBODY)))
                .problem(422, ApprovalProblems.INVALID_APPROVER);
        admin.violating().post(ROLES, body("name", "No holders " + tag)).problem(400, "VALIDATION_FAILED");
        admin.delete(otherRole).status(204);

        // ----- templates
        JsonNode full = json(admin.post(TEMPLATES, everyPartTemplate("Expense " + tag, hr.get("id").asText(),
                carolUser.id())).status(201));
        String fullTemplate = TEMPLATES + "/" + full.get("id").asText();
        JsonNode simple = json(admin.post(TEMPLATES, twoStepTemplate("Leave " + tag, leadUser.id(), headUser.id(),
                carolUser.id())).status(201));
        UUID templateId = UUID.fromString(simple.get("id").asText());
        String template = TEMPLATES + "/" + templateId;
        admin.get(TEMPLATES).ok();
        admin.get(TEMPLATES + "?includeDisabled=true").ok();
        bob.get(TEMPLATES + "?includeDisabled=true").problem(403, "FORBIDDEN");
        admin.violating().get(TEMPLATES + "?includeDisabled=maybe").problem(400, "VALIDATION_FAILED");
        bob.get(fullTemplate).ok();
        assertThat(json(admin.put(fullTemplate, everyPartTemplate("Expense " + tag + " v2", hr.get("id").asText(),
                carolUser.id())).ok()).get("version").asInt()).isEqualTo(2);
        bob.get(fullTemplate + "/versions/1").ok();
        bob.get(fullTemplate + "/versions/9").problem(404, ApprovalProblems.TEMPLATE_NOT_FOUND);
        admin.post(TEMPLATES, body("name", "Broken", "category", "HR", "form", body("fields", List.of()),
                "flow", List.of())).problem(400, ApprovalProblems.TEMPLATE_INVALID);
        JsonNode parked = json(admin.post(TEMPLATES, twoStepTemplate("Parked " + tag, leadUser.id(), headUser.id(),
                carolUser.id())).status(201));
        String parkedTemplate = TEMPLATES + "/" + parked.get("id").asText();
        admin.post(parkedTemplate + "/disable", null).ok();
        bob.get(parkedTemplate).problem(404, ApprovalProblems.TEMPLATE_NOT_FOUND);
        bob.post(INSTANCES, body("templateId", parked.get("id").asText(), "form", leave(1)))
                .problem(422, ApprovalProblems.TEMPLATE_DISABLED);
        admin.post(parkedTemplate + "/enable", null).ok();

        // ----- submitting
        bob.post(INSTANCES, body("templateId", full.get("id").asText(), "form", expense(bobUser.id()))).status(201);
        String key = "contract-" + tag;
        JsonNode a = json(bob.withHeader("Idempotency-Key", key).post(INSTANCES, submit(templateId, 2)).status(201));
        assertThat(json(bob.withHeader("Idempotency-Key", key).post(INSTANCES, submit(templateId, 2)).ok())
                .get("id").asText()).isEqualTo(a.get("id").asText());
        bob.withHeader("Idempotency-Key", key).post(INSTANCES, submit(templateId, 3))
                .problem(409, ProblemCodes.IDEMPOTENCY_KEY_REUSED);
        bob.violating().withHeader("Idempotency-Key", "two words").post(INSTANCES, submit(templateId, 2))
                .problem(400, "VALIDATION_FAILED");
        JsonNode formProblem = json(bob.post(INSTANCES, body("templateId", templateId, "form", body("type", "Gap")))
                .problem(400, ApprovalProblems.FORM_INVALID));
        assertThat(formProblem.get("errors")).hasSize(2);
        bob.post(INSTANCES, submit(NOBODY, 1)).problem(404, ApprovalProblems.TEMPLATE_NOT_FOUND);
        outsider.post(INSTANCES, body("templateId", templateId, "form", leave(1), "requesterId", bobUser.id()))
                .problem(403, ApprovalProblems.ON_BEHALF_NOT_ALLOWED);
        oa.post(INSTANCES, body("templateId", templateId, "form", leave(1), "requesterId", bobUser.id(),
                "chosenApprovers", null, "resubmitOf", null)).status(201);
        String instanceA = INSTANCES + "/" + a.get("id").asText();

        // ----- lists and reading
        bob.get(INSTANCES).ok();
        carol.get(INSTANCES + "?view=cc&state=pending&templateId=" + templateId).ok();
        admin.get(INSTANCES + "?view=all&from=2020-01-01T00:00:00Z&to=2100-01-01T00:00:00Z&limit=1").ok();
        bob.get(INSTANCES + "?view=all").problem(403, "FORBIDDEN");
        bob.violating().get(INSTANCES + "?view=everything").problem(400, "VALIDATION_FAILED");
        bob.get(instanceA).ok();
        lead.get(TASKS).ok();
        lead.violating().get(TASKS + "?limit=0").problem(400, "VALIDATION_FAILED");

        // ----- deciding: lead, then head; carol is CC'd
        String leadTask = TASKS + "/" + pendingTask(a, leadUser);
        bob.post(leadTask + "/approve", null).problem(403, ApprovalProblems.NOT_YOUR_TASK);
        lead.post(leadTask + "/transfer", body("to", bobUser.id(), "comment", "You?"))
                .problem(422, ApprovalProblems.INVALID_APPROVER);
        lead.post(leadTask + "/add-sign", body("userId", bobUser.id(), "position", "BEFORE"))
                .problem(422, ApprovalProblems.INVALID_APPROVER);
        JsonNode signed = json(lead.post(leadTask + "/add-sign", body("userId", carolUser.id(), "position", "BEFORE",
                "comment", "Carol first")).ok());
        String carolTask = TASKS + "/" + pendingTask(signed, carolUser);
        JsonNode transferred = json(carol.post(carolTask + "/transfer", body("to", headUser.id(), "comment", "Yours"))
                .ok());
        carol.post(carolTask + "/approve", body("comment", "Late")).problem(409, ApprovalProblems.TASK_NOT_PENDING);
        carol.post(carolTask + "/reject", body("reason", "Late")).problem(409, ApprovalProblems.TASK_NOT_PENDING);
        carol.post(carolTask + "/transfer", body("to", leadUser.id())).problem(409, ApprovalProblems.TASK_NOT_PENDING);
        carol.post(carolTask + "/add-sign", body("userId", leadUser.id(), "position", "AFTER"))
                .problem(409, ApprovalProblems.TASK_NOT_PENDING);
        carol.post(carolTask + "/return", body("step", 0)).problem(409, ApprovalProblems.TASK_NOT_PENDING);
        head.post(TASKS + "/" + pendingTask(transferred, headUser) + "/approve", null).ok();
        JsonNode atHead = json(lead.post(leadTask + "/approve", body("comment", "Fine")).ok());
        String headTask = TASKS + "/" + pendingTask(atHead, headUser);
        head.post(headTask + "/return", body("step", 1, "comment", "Not back")).problem(422,
                ApprovalProblems.INVALID_RETURN);
        JsonNode returned = json(head.post(headTask + "/return", body("step", 0, "comment", "Check the dates")).ok());
        JsonNode again = json(lead.post(TASKS + "/" + pendingTask(returned, leadUser) + "/approve", body()).ok());
        String headTask2 = TASKS + "/" + pendingTask(again, headUser);
        head.post(headTask2 + "/reject", body("reason", "  ")).problem(400, ApprovalProblems.REASON_REQUIRED);
        head.violating().post(headTask2 + "/reject", body()).problem(400, ApprovalProblems.REASON_REQUIRED);
        assertThat(json(head.post(headTask2 + "/reject", body("reason", "No budget")).ok()).get("state").asText())
                .isEqualTo("REJECTED");
        bob.post(instanceA + "/remind", null).problem(409, ApprovalProblems.INSTANCE_NOT_PENDING);
        bob.post(instanceA + "/withdraw", null).problem(409, ApprovalProblems.INSTANCE_NOT_PENDING);
        carol.post(instanceA + "/comments", body("text", "Noted", "mentions", List.of(outsiderUser.id()))).ok();
        outsider.get(instanceA).ok();
        outsider.post(instanceA + "/comments", body("text", "Passing it on", "mentions", List.of(oaUser.id())))
                .problem(403, "FORBIDDEN");
        carol.post(instanceA + "/comments", body("text", "Who?", "mentions", List.of(NOBODY)))
                .problem(422, ApprovalProblems.INVALID_APPROVER);
        carol.violating().post(instanceA + "/comments", body("mentions", List.of())).problem(400, "VALIDATION_FAILED");
        bob.post(INSTANCES, body("templateId", templateId, "form", leave(1), "resubmitOf", a.get("id").asText()))
                .status(201);
        lead.get(TASKS + "?state=handled&templateId=" + templateId).ok();
        lead.get(TASKS + "?state=all&from=2020-01-01T00:00:00Z&to=2100-01-01T00:00:00Z&limit=200").ok();

        // ----- reminding and withdrawing
        JsonNode b = json(bob.post(INSTANCES, submit(templateId, 1)).status(201));
        String instanceB = INSTANCES + "/" + b.get("id").asText();
        bob.post(instanceB + "/remind", null).ok();
        assertThat(bob.post(instanceB + "/remind", null).problem(429, "RATE_LIMITED").headers()
                .getFirst("Retry-After")).matches("[1-9][0-9]*");
        lead.post(instanceB + "/remind", null).problem(403, ApprovalProblems.NOT_REQUESTER);
        lead.post(instanceB + "/withdraw", null).problem(403, ApprovalProblems.NOT_REQUESTER);
        JsonNode c = json(bob.post(INSTANCES, submit(templateId, 1)).status(201));
        lead.post(TASKS + "/" + pendingTask(c, leadUser) + "/add-sign", body("userId", carolUser.id(), "position",
                "AFTER")).ok();
        assertThat(json(bob.post(instanceB + "/withdraw", null).ok()).get("state").asText()).isEqualTo("WITHDRAWN");

        // ----- what every operation shares: no token, the wrong role, a malformed or unknown id
        ContractClient anonymous = ContractClient.anonymous(clients, openApi);
        for (ApprovalCall call : calls(templateId, tag, carolUser.id())) {
            String known = call.path(NOBODY.toString());
            anonymous.violating().call(call.method(), known, call.body()).problem(401, "UNAUTHENTICATED");
            (call.orgAdmin() ? bob : officer).call(call.method(), known, call.body()).problem(403, "FORBIDDEN");
            if (call.scoped()) {
                ContractClient caller = call.orgAdmin() ? admin : lead;
                caller.violating().call(call.method(), call.path("not-a-uuid"), call.body())
                        .problem(400, "VALIDATION_FAILED");
                caller.call(call.method(), known, call.body()).problem(404, call.notFound());
            }
        }

        assertThat(openApi.unseenResponses().stream().filter(ApprovalContractTest::approvalResponse)
                .filter(response -> !RACES_ONLY.contains(response)))
                .as("documented approval responses the walkthrough never saw: exercise them, or remove them from "
                        + "%s if the application cannot answer so", OpenApiContract.LOCATION).isEmpty();
    }

    /** An approval operation, valid in every way but the caller and the id ({i}) in its path. */
    private record ApprovalCall(HttpMethod method, String template, Object body, boolean orgAdmin, String notFound) {

        boolean scoped() {
            return template.contains("{i}");
        }

        String path(String id) {
            return template.replace("{i}", id);
        }
    }

    private static List<ApprovalCall> calls(UUID templateId, String tag, UUID carol) {
        String t = TEMPLATES + "/{i}";
        String r = ROLES + "/{i}";
        String i = INSTANCES + "/{i}";
        String k = TASKS + "/{i}";
        String templateMissing = ApprovalProblems.TEMPLATE_NOT_FOUND;
        return List.of(
                new ApprovalCall(HttpMethod.GET, TEMPLATES, null, false, null),
                new ApprovalCall(HttpMethod.POST, TEMPLATES, twoStepTemplate("Swept", carol, carol, carol), true, null),
                new ApprovalCall(HttpMethod.GET, t, null, false, templateMissing),
                new ApprovalCall(HttpMethod.PUT, t, twoStepTemplate("Swept", carol, carol, carol), true, templateMissing),
                new ApprovalCall(HttpMethod.GET, t + "/versions/1", null, false, templateMissing),
                new ApprovalCall(HttpMethod.POST, t + "/disable", null, true, templateMissing),
                new ApprovalCall(HttpMethod.POST, t + "/enable", null, true, templateMissing),
                new ApprovalCall(HttpMethod.GET, ROLES, null, false, null),
                new ApprovalCall(HttpMethod.POST, ROLES, body("name", "Swept " + tag, "holderIds", List.of()), true,
                        null),
                new ApprovalCall(HttpMethod.GET, r, null, false, ApprovalProblems.ROLE_NOT_FOUND),
                new ApprovalCall(HttpMethod.PUT, r, body("name", "Swept " + tag, "holderIds", List.of()), true,
                        ApprovalProblems.ROLE_NOT_FOUND),
                new ApprovalCall(HttpMethod.DELETE, r, null, true, ApprovalProblems.ROLE_NOT_FOUND),
                new ApprovalCall(HttpMethod.GET, INSTANCES, null, false, null),
                new ApprovalCall(HttpMethod.POST, INSTANCES, submit(templateId, 1), false, null),
                new ApprovalCall(HttpMethod.GET, i, null, false, ApprovalProblems.INSTANCE_NOT_FOUND),
                new ApprovalCall(HttpMethod.POST, i + "/withdraw", null, false, ApprovalProblems.INSTANCE_NOT_FOUND),
                new ApprovalCall(HttpMethod.POST, i + "/comments", body("text", "Swept"), false,
                        ApprovalProblems.INSTANCE_NOT_FOUND),
                new ApprovalCall(HttpMethod.POST, i + "/remind", null, false, ApprovalProblems.INSTANCE_NOT_FOUND),
                new ApprovalCall(HttpMethod.GET, TASKS, null, false, null),
                new ApprovalCall(HttpMethod.POST, k + "/approve", null, false, ApprovalProblems.TASK_NOT_FOUND),
                new ApprovalCall(HttpMethod.POST, k + "/reject", body("reason", "Swept"), false,
                        ApprovalProblems.TASK_NOT_FOUND),
                new ApprovalCall(HttpMethod.POST, k + "/transfer", body("to", carol), false,
                        ApprovalProblems.TASK_NOT_FOUND),
                new ApprovalCall(HttpMethod.POST, k + "/add-sign", body("userId", carol, "position", "BEFORE"), false,
                        ApprovalProblems.TASK_NOT_FOUND),
                new ApprovalCall(HttpMethod.POST, k + "/return", body("step", 0), false,
                        ApprovalProblems.TASK_NOT_FOUND));
    }

    /** Named approvers, one after another: {@code first}, then {@code second}; {@code cc} hears at both ends. */
    private static Map<String, Object> twoStepTemplate(String name, UUID first, UUID second, UUID cc) {
        return body("name", name, "category", "HR", "description", null,
                "form", body("fields", List.of(
                        body("key", "type", "label", "Leave type", "type", "SINGLE_CHOICE", "required", true,
                                "options", List.of("Annual", "Sick")),
                        body("key", "period", "label", "Period", "type", "DATE_RANGE", "required", true))),
                "flow", List.of(
                        body("id", "first", "kind", "APPROVAL", "name", "First",
                                "approvers", body("type", "USERS", "userIds", List.of(first)), "mode", "SEQUENTIAL"),
                        body("id", "second", "kind", "APPROVAL", "name", "Second",
                                "approvers", body("type", "USERS", "userIds", List.of(second)), "mode", "SEQUENTIAL"),
                        body("id", "cc", "kind", "CC", "name", "Team",
                                "approvers", body("type", "USERS", "userIds", List.of(cc)), "notifyOn", "BOTH")));
    }

    /** A template with every field type, node kind and approver rule shape the document describes. */
    private static Map<String, Object> everyPartTemplate(String name, String roleId, UUID cc) {
        return body("name", name, "category", "Finance", "description", "Expense claim",
                "form", body("fields", List.of(
                        body("key", "title", "label", "Title", "type", "TEXT", "required", true, "minLength", 2,
                                "maxLength", 80),
                        body("key", "note", "label", "Note", "type", "LONG_TEXT"),
                        body("key", "nights", "label", "Nights", "type", "NUMBER", "min", 0, "max", 30, "scale", 0),
                        body("key", "total", "label", "Total", "type", "MONEY", "required", true,
                                "currencies", List.of("CNY", "EUR")),
                        body("key", "day", "label", "Day", "type", "DATE"),
                        body("key", "trip", "label", "Trip", "type", "DATE_RANGE"),
                        body("key", "kind", "label", "Kind", "type", "SINGLE_CHOICE", "options", List.of("Travel", "Meal")),
                        body("key", "tags", "label", "Tags", "type", "MULTIPLE_CHOICE", "options", List.of("A", "B"),
                                "minItems", 0, "maxItems", 2),
                        body("key", "buddy", "label", "Stand-in", "type", "USER"),
                        body("key", "dept", "label", "Cost centre", "type", "DEPARTMENT"),
                        body("key", "receipts", "label", "Receipts", "type", "ATTACHMENT", "maxItems", 5),
                        body("key", "lines", "label", "Lines", "type", "DETAIL_TABLE", "maxItems", 10,
                                "columns", List.of(body("key", "what", "label", "What", "type", "TEXT", "required", true),
                                        body("key", "cost", "label", "Cost", "type", "MONEY", "required", true))))),
                "flow", List.of(
                        body("id", "manager", "kind", "APPROVAL", "name", "Manager",
                                "approvers", body("type", "MANAGER", "level", 1), "mode", "SEQUENTIAL",
                                "remindAfter", "PT24H", "escalateAfter", "PT72H"),
                        body("id", "size", "kind", "CONDITION", "name", "How much", "branches", List.of(
                                body("name", "Large", "priority", 1, "when", body("any", List.of(
                                                body("field", "total", "op", "GT", "number", 5000, "currency", "CNY"),
                                                body("all", List.of(body("field", "kind", "op", "IN",
                                                        "values", List.of("Travel"))))), "op", null),
                                        "nodes", List.of(body("id", "hr", "kind", "APPROVAL", "name", "HR",
                                                "approvers", body("type", "ROLE", "roleId", roleId), "mode", "ANY"))),
                                body("name", "Otherwise", "nodes", List.of(body("id", "head", "kind", "APPROVAL",
                                        "name", "Head", "approvers", body("type", "DEPARTMENT_HEAD"), "mode", "ALL"))))),
                        body("id", "pick", "kind", "APPROVAL", "name", "Stand-in",
                                "approvers", body("type", "FORM_FIELD", "field", "buddy"), "mode", "SEQUENTIAL"),
                        body("id", "cc", "kind", "CC", "name", "Finance",
                                "approvers", body("type", "USERS", "userIds", List.of(cc)), "notifyOn", "COMPLETION")),
                "settings", body("requesterAsApprover", "MANAGER", "dedupeConsecutive", true));
    }

    private static Map<String, Object> expense(UUID buddy) {
        return body("title", "Trip to Berlin", "total", body("currency", "EUR", "amount", "1280.50"),
                "kind", "Travel", "tags", List.of("A"), "buddy", buddy, "trip",
                body("start", "2027-02-01", "end", "2027-02-03"),
                "lines", List.of(body("what", "Train", "cost", body("currency", "EUR", "amount", "80.00"))));
    }

    private static Map<String, Object> submit(UUID templateId, int days) {
        return body("templateId", templateId, "form", leave(days));
    }

    private static Map<String, Object> leave(int days) {
        return body("type", "Annual", "period", body("start", "2027-01-04", "end", "2027-01-%02d".formatted(3 + days)));
    }

    private static String pendingTask(JsonNode instance, TestUser approver) {
        return StreamSupport.stream(instance.get("tasks").spliterator(), false)
                .filter(task -> task.get("state").asText().equals("PENDING")
                        && task.get("approverId").asText().equals(approver.id().toString()))
                .map(task -> task.get("id").asText()).findFirst()
                .orElseThrow(() -> new AssertionError("no pending task of " + approver.username() + " in " + instance));
    }

    private static JsonNode json(io.chorus.support.RestApi.Response response) {
        return ContractJson.read(response.body());
    }

    private ContractClient client(TestUser user) {
        return ContractClient.as(clients, openApi, user);
    }
}
