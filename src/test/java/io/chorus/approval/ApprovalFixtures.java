package io.chorus.approval;

import io.chorus.identity.CurrentUser;
import io.chorus.identity.Role;
import io.chorus.identity.UserId;
import io.chorus.org.DepartmentId;
import io.chorus.org.OrgChart;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Org chart fixtures and shortcuts for approval tests: people made through the real token path,
 * departments, heads and managers through the org module's API, templates through the approval
 * module's. Each test builds its own small company, so tests never see each other's data.
 */
public final class ApprovalFixtures {

    private final TestClients clients;
    private final OrgChart chart;
    private final Templates templates;
    final TestUser admin;

    ApprovalFixtures(TestClients clients, OrgChart chart, Templates templates) {
        this.clients = clients;
        this.chart = chart;
        this.templates = templates;
        this.admin = clients.orgAdmin();
    }

    /**
     * A small company: the CEO heads the top department; Engineering below it is headed by
     * {@code head}; Bob works there with {@code lead} as his explicit manager, so Bob's manager
     * chain is lead, head, ceo.
     */
    record Company(TestUser ceo, TestUser head, TestUser lead, TestUser bob, DepartmentId top,
            DepartmentId engineering) {
    }

    Company company() {
        TestUser ceo = person("ceo");
        TestUser head = person("head");
        TestUser lead = person("lead");
        TestUser bob = person("bob");
        DepartmentId top = department("Company", null);
        DepartmentId engineering = department("Engineering", top);
        member(ceo, top);
        heads(top, ceo);
        member(head, engineering);
        member(lead, engineering);
        member(bob, engineering);
        heads(engineering, head);
        manager(bob, lead);
        return new Company(ceo, head, lead, bob, top, engineering);
    }

    TestUser person(String prefix) {
        return clients.user(prefix);
    }

    /** {@code user} as a caller, an employee with {@code roles} besides. */
    public static CurrentUser as(TestUser user, Role... roles) {
        Set<Role> all = new java.util.HashSet<>(Arrays.asList(roles));
        all.add(Role.EMPLOYEE);
        return new CurrentUser(UserId.of(user.id()), user.username(), "Test " + user.username(), all);
    }

    /** The id of {@code approver}'s pending task on the request; fails the test when there is none. */
    public static UUID pendingTask(InstanceView instance, TestUser approver) {
        return instance.tasks().stream().filter(task -> task.state().equals("PENDING")
                && task.approverId().equals(approver.id())).findFirst()
                .orElseThrow(() -> new AssertionError(approver.username() + " has no pending task in " + instance))
                .id();
    }

    public static List<UUID> pendingApprovers(InstanceView instance) {
        return instance.tasks().stream().filter(task -> task.state().equals("PENDING"))
                .map(InstanceView.Task::approverId).toList();
    }

    CurrentUser adminUser() {
        return as(admin, Role.ORG_ADMIN);
    }

    DepartmentId department(String name, DepartmentId parent) {
        return chart.createDepartment(name + " " + UUID.randomUUID().toString().substring(0, 6), parent, 0, null,
                null).id();
    }

    void member(TestUser user, DepartmentId department) {
        chart.setMembership(UserId.of(user.id()), department, "Staff", true, null);
    }

    void heads(DepartmentId department, TestUser... heads) {
        chart.setHeads(department, Arrays.stream(heads).map(head -> UserId.of(head.id())).toList(), null);
    }

    void manager(TestUser user, TestUser manager) {
        chart.setManager(UserId.of(user.id()), UserId.of(manager.id()), null);
    }

    TemplateView template(FormSchema form, List<FlowNode> flow, TemplateSettings settings) {
        return templates.create(adminUser(), new TemplateDefinition("Leave " + UUID.randomUUID().toString()
                .substring(0, 6), "HR", null, form, flow, settings));
    }

    TemplateView template(List<FlowNode> flow) {
        return template(leaveForm(), flow, TemplateSettings.defaults());
    }

    static FormSchema leaveForm() {
        return new FormSchema(List.of(
                new FormField("type", "Leave type", FieldType.SINGLE_CHOICE, true, null, null, null, null, null,
                        List.of("Annual", "Sick", "Unpaid"), null, null, null, null),
                FormField.of("period", "Period", FieldType.DATE_RANGE, true),
                FormField.of("reason", "Reason", FieldType.LONG_TEXT, false),
                FormField.of("amount", "Amount", FieldType.MONEY, false),
                FormField.of("buddy", "Stand-in", FieldType.USER, false)));
    }

    static JsonNode leave(String type, int days) {
        return JsonMapper.shared().readTree("""
                {"type": "%s", "period": {"start": "2027-01-04", "end": "2027-01-%02d"}, "reason": "Family visit"}
                """.formatted(type, 3 + days));
    }

    static JsonNode json(String text) {
        return JsonMapper.shared().readTree(text);
    }
}
