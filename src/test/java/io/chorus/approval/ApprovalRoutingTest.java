package io.chorus.approval;

import static io.chorus.approval.ApprovalFixtures.as;
import static io.chorus.approval.ApprovalFixtures.json;
import static io.chorus.approval.ApprovalFixtures.leave;
import static io.chorus.approval.ApprovalFixtures.pendingApprovers;
import static io.chorus.approval.ApprovalFixtures.pendingTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.approval.FlowNode.Mode;
import io.chorus.identity.UserAccounts;
import io.chorus.identity.UserId;
import io.chorus.org.DepartmentId;
import io.chorus.org.OrgChart;
import io.chorus.platform.ChorusProblem;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Who approves: every approver rule, conditions, and the edge cases of resolution. */
@ChorusIntegrationTest
class ApprovalRoutingTest {

    @Autowired
    TestClients clients;
    @Autowired
    OrgChart chart;
    @Autowired
    Templates templates;
    @Autowired
    ApprovalRoles roles;
    @Autowired
    Approvals approvals;
    @Autowired
    UserAccounts accounts;
    @Autowired
    JdbcClient jdbc;

    ApprovalFixtures fixtures;
    TestUser ceo;
    TestUser head;
    TestUser lead;
    TestUser bob;
    TestUser carol;
    DepartmentId company;
    DepartmentId engineering;
    DepartmentId platform;

    @BeforeEach
    void company() {
        fixtures = new ApprovalFixtures(clients, chart, templates);
        ApprovalFixtures.Company people = fixtures.company();
        ceo = people.ceo();
        head = people.head();
        lead = people.lead();
        bob = people.bob();
        company = people.top();
        engineering = people.engineering();
        // Platform, below Engineering, has no head of its own.
        carol = fixtures.person("carol");
        platform = fixtures.department("Platform", engineering);
        fixtures.member(carol, platform);
    }

    private InstanceView submit(TestUser requester, TemplateView template, Map<String, List<UUID>> chosen) {
        return approvals.submit(as(requester), new SubmitApproval(template.id(), leave("Annual", 2), chosen, null,
                null), null).instance();
    }

    private InstanceView submit(TestUser requester, List<FlowNode> flow) {
        return submit(requester, fixtures.template(flow), Map.of());
    }

    @Test
    void namedUsersRoleHoldersAndFormFieldsResolveToThosePeople() {
        ApprovalRoleView hr = roles.create(fixtures.adminUser(), "HR " + UUID.randomUUID(), List.of(carol.id()));
        TemplateView template = fixtures.template(List.of(
                FlowNode.approval("named", "Named", ApproverRule.users(List.of(head.id())), Mode.SEQUENTIAL),
                FlowNode.approval("role", "HR", ApproverRule.role(hr.id()), Mode.SEQUENTIAL),
                FlowNode.approval("buddy", "Stand-in", ApproverRule.formField("buddy"), Mode.SEQUENTIAL)));
        InstanceView instance = approvals.submit(as(bob), new SubmitApproval(template.id(), json("""
                {"type": "Annual", "period": {"start": "2027-01-04", "end": "2027-01-04"}, "buddy": "%s"}
                """.formatted(ceo.id())), Map.of(), null, null), null).instance();

        assertThat(pendingApprovers(instance)).containsExactly(head.id());
        instance = approvals.approve(as(head), pendingTask(instance, head), null);
        assertThat(pendingApprovers(instance)).containsExactly(carol.id());
        instance = approvals.approve(as(carol), pendingTask(instance, carol), null);
        assertThat(pendingApprovers(instance)).containsExactly(ceo.id());
    }

    @Test
    void departmentHeadsOfThePrimaryOrANamedDepartment() {
        InstanceView own = submit(carol, List.of(
                FlowNode.approval("own", "Own head", ApproverRule.departmentHead(null), Mode.ANY)));
        // Platform has no head: the nearest department above with one decides.
        assertThat(pendingApprovers(own)).containsExactly(head.id());
        assertThat(own.tasks().getFirst().origin()).isEqualTo("FALLBACK");

        InstanceView named = submit(bob, List.of(
                FlowNode.approval("co", "Company head", ApproverRule.departmentHead(company.value()), Mode.ANY)));
        assertThat(pendingApprovers(named)).containsExactly(ceo.id());
    }

    @Test
    void chosenByTheRequesterAtSubmitTime() {
        TemplateView template = fixtures.template(List.of(FlowNode.approval("pick", "Picked",
                ApproverRule.chosenByRequester(2), Mode.ALL)));
        InstanceView instance = submit(bob, template, Map.of("pick", List.of(carol.id(), ceo.id())));
        assertThat(pendingApprovers(instance)).containsExactlyInAnyOrder(carol.id(), ceo.id());

        assertThatThrownBy(() -> submit(bob, template, Map.of())).isInstanceOfSatisfying(ChorusProblem.class,
                problem -> assertThat(problem.code()).isEqualTo(ApprovalProblems.CHOSEN_APPROVERS_INVALID));
        assertThatThrownBy(() -> submit(bob, template, Map.of("pick", List.of(bob.id()))))
                .isInstanceOfSatisfying(ChorusProblem.class, problem ->
                        assertThat(problem.code()).isEqualTo(ApprovalProblems.CHOSEN_APPROVERS_INVALID));
        assertThatThrownBy(() -> submit(bob, template, Map.of("pick", List.of(carol.id()), "other",
                List.of(ceo.id())))).isInstanceOf(ChorusProblem.class);
    }

    @Test
    void conditionsPickTheBranchByPriorityElseTheDefault() {
        FlowNode condition = FlowNode.condition("days", "By length", List.of(
                new FlowNode.Branch("Long", 1, Condition.compare("period.days", Condition.Operator.GE,
                        BigDecimal.valueOf(3)), List.of(FlowNode.approval("ceo", "CEO",
                        ApproverRule.users(List.of(ceo.id())), Mode.SEQUENTIAL))),
                new FlowNode.Branch("Sick", 2, Condition.in("type", List.of("Sick")), List.of(FlowNode.approval(
                        "hr", "HR", ApproverRule.users(List.of(carol.id())), Mode.SEQUENTIAL))),
                new FlowNode.Branch("Otherwise", 0, null, List.of(FlowNode.approval("lead", "Lead",
                        ApproverRule.manager(1), Mode.SEQUENTIAL)))));
        TemplateView template = fixtures.template(List.of(condition));

        InstanceView longSick = approvals.submit(as(bob), new SubmitApproval(template.id(), leave("Sick", 5),
                Map.of(), null, null), null).instance();
        assertThat(pendingApprovers(longSick)).as("priority 1 wins over priority 2").containsExactly(ceo.id());
        InstanceView shortSick = approvals.submit(as(bob), new SubmitApproval(template.id(), leave("Sick", 1),
                Map.of(), null, null), null).instance();
        assertThat(pendingApprovers(shortSick)).containsExactly(carol.id());
        InstanceView shortAnnual = approvals.submit(as(bob), new SubmitApproval(template.id(), leave("Annual", 1),
                Map.of(), null, null), null).instance();
        assertThat(pendingApprovers(shortAnnual)).as("default branch").containsExactly(lead.id());
    }

    @Test
    void moneyIsComparedInTheConditionsCurrencyOnly() {
        FlowNode condition = FlowNode.condition("size", "By amount", List.of(
                new FlowNode.Branch("Large", 1, Condition.compare("amount", Condition.Operator.GT,
                        BigDecimal.valueOf(5000), "CNY"), List.of(FlowNode.approval("ceo", "CEO",
                        ApproverRule.users(List.of(ceo.id())), Mode.SEQUENTIAL))),
                new FlowNode.Branch("Otherwise", 0, null, List.of(FlowNode.approval("lead", "Lead",
                        ApproverRule.manager(1), Mode.SEQUENTIAL)))));
        TemplateView template = fixtures.template(List.of(condition));
        java.util.function.Function<String, InstanceView> claim = money -> approvals.submit(as(bob),
                new SubmitApproval(template.id(), json("""
                        {"type": "Annual", "period": {"start": "2027-01-04", "end": "2027-01-04"}, "amount": %s}
                        """.formatted(money)), Map.of(), null, null), null).instance();

        assertThat(pendingApprovers(claim.apply("{\"currency\": \"CNY\", \"amount\": \"6000.00\"}")))
                .containsExactly(ceo.id());
        assertThat(pendingApprovers(claim.apply("{\"currency\": \"JPY\", \"amount\": \"6000\"}")))
                .as("6,000 yen is not more than 5,000 yuan").containsExactly(lead.id());

        FlowNode ambiguous = FlowNode.condition("size", "By amount", List.of(
                new FlowNode.Branch("Large", 1, Condition.compare("amount", Condition.Operator.GT,
                        BigDecimal.valueOf(5000)), List.of()),
                new FlowNode.Branch("Otherwise", 0, null, List.of())));
        assertThatThrownBy(() -> fixtures.template(List.of(ambiguous, FlowNode.approval("m", "M",
                ApproverRule.manager(1), Mode.ANY)))).isInstanceOfSatisfying(ChorusProblem.class, problem ->
                assertThat(problem.errors()).extracting(ChorusProblem.FieldError::field)
                        .contains("flow[0].branches[0].when.currency"));
    }

    @Test
    void theRequesterAmongTheApproversIsSkippedOrHandedToTheirManager() {
        InstanceView skipped = submit(head, List.of(
                FlowNode.approval("heads", "Heads", ApproverRule.departmentHead(engineering.value()), Mode.ANY),
                FlowNode.approval("ceo", "CEO", ApproverRule.users(List.of(ceo.id())), Mode.ANY)));
        assertThat(skipped.currentStep()).as("the head's own step passes").isEqualTo(1);
        assertThat(skipped.timeline()).extracting(InstanceView.TimelineItem::action).contains("REQUESTER_SKIPPED");
        assertThat(skipped.tasks()).noneMatch(task -> task.approverId().equals(head.id()));

        TemplateView toManager = fixtures.template(ApprovalFixtures.leaveForm(), List.of(FlowNode.approval("heads",
                "Heads", ApproverRule.departmentHead(engineering.value()), Mode.ANY)),
                new TemplateSettings(TemplateSettings.RequesterAsApprover.MANAGER, false));
        InstanceView handed = submit(head, toManager, Map.of());
        assertThat(pendingApprovers(handed)).containsExactly(ceo.id());
    }

    @Test
    void nobodyFoundEscalatesToOrgAdminsAndNeverApprovesSilently() {
        // The CEO has no manager and heads the top department: MANAGER(1) finds nobody.
        InstanceView instance = submit(ceo, List.of(
                FlowNode.approval("m1", "Manager", ApproverRule.manager(1), Mode.ANY)));
        assertThat(instance.state()).isEqualTo(InstanceView.State.PENDING);
        assertThat(pendingApprovers(instance)).contains(fixtures.admin.id()).doesNotContain(ceo.id());
        assertThat(instance.tasks()).allMatch(task -> task.origin().equals("FALLBACK"));
    }

    @Test
    void deactivatedApproversAreReplacedWhenResolvedAndWhileWaiting() {
        accounts.deactivate(UserId.of(carol.id()));
        InstanceView resolved = submit(bob, List.of(
                FlowNode.approval("named", "Named", ApproverRule.users(List.of(carol.id())), Mode.ANY)));
        assertThat(pendingApprovers(resolved)).containsExactly(head.id());
        assertThat(resolved.tasks().getFirst().origin()).isEqualTo("REPLACED");

        InstanceView waiting = submit(bob, List.of(
                FlowNode.approval("m1", "Manager", ApproverRule.manager(1), Mode.ANY)));
        assertThat(pendingApprovers(waiting)).containsExactly(lead.id());
        accounts.deactivate(UserId.of(lead.id()));
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(pendingApprovers(approvals.get(as(bob), waiting.id()))).containsExactly(head.id()));
        assertThat(approvals.get(as(bob), waiting.id()).timeline()).extracting(InstanceView.TimelineItem::action)
                .contains("DEACTIVATION");
    }

    @Test
    void theSameApproverOnConsecutiveNodesIsAutoApprovedWhenTheTemplateSaysSo() {
        List<FlowNode> flow = List.of(
                FlowNode.approval("m1", "Manager", ApproverRule.manager(1), Mode.SEQUENTIAL),
                FlowNode.approval("again", "Lead again", ApproverRule.users(List.of(lead.id(), head.id())),
                        Mode.ALL));
        TemplateView deduped = fixtures.template(ApprovalFixtures.leaveForm(), flow,
                new TemplateSettings(TemplateSettings.RequesterAsApprover.SKIP, true));
        InstanceView instance = submit(bob, deduped, Map.of());
        instance = approvals.approve(as(lead), pendingTask(instance, lead), null);
        assertThat(pendingApprovers(instance)).containsExactly(head.id());
        assertThat(instance.tasks()).anyMatch(task -> task.step() == 1 && task.approverId().equals(lead.id())
                && task.origin().equals("DEDUPED") && task.state().equals("APPROVED"));

        TemplateView plain = fixtures.template(flow);
        InstanceView twice = submit(bob, plain, Map.of());
        twice = approvals.approve(as(lead), pendingTask(twice, lead), null);
        assertThat(pendingApprovers(twice)).containsExactlyInAnyOrder(lead.id(), head.id());
    }

    @Test
    void ccRecipientsHearAtSubmitAtCompletionOrBoth() {
        TemplateView template = fixtures.template(List.of(
                FlowNode.cc("early", "Team", ApproverRule.users(List.of(carol.id())), FlowNode.CcMoment.SUBMIT),
                FlowNode.approval("m1", "Manager", ApproverRule.manager(1), Mode.SEQUENTIAL),
                FlowNode.cc("late", "CEO", ApproverRule.users(List.of(ceo.id())), FlowNode.CcMoment.COMPLETION)));
        InstanceView instance = submit(bob, template, Map.of());
        assertThat(instance.ccIds()).containsExactly(carol.id());
        assertThat(approvals.get(as(carol), instance.id()).id()).isEqualTo(instance.id());
        assertThatThrownBy(() -> approvals.get(as(ceo), instance.id())).isInstanceOfSatisfying(ChorusProblem.class,
                problem -> assertThat(problem.code()).isEqualTo(ApprovalProblems.INSTANCE_NOT_FOUND));

        InstanceView done = approvals.approve(as(lead), pendingTask(instance, lead), null);
        assertThat(done.ccIds()).containsExactlyInAnyOrder(carol.id(), ceo.id());
        assertThat(done.timeline()).extracting(InstanceView.TimelineItem::action)
                .containsSubsequence("CC_ON_SUBMIT", "COMPLETED_APPROVED", "CC_ON_COMPLETION");
    }

    @Test
    void aBadFormIsRefusedFieldByFieldAndStoresNothing() {
        TemplateView template = fixtures.template(List.of(
                FlowNode.approval("m1", "Manager", ApproverRule.manager(1), Mode.SEQUENTIAL)));
        long before = jdbc.sql("SELECT count(*) FROM approval.instance").query(Long.class).single();
        assertThatThrownBy(() -> approvals.submit(as(bob), new SubmitApproval(template.id(), json("""
                {"type": "Holiday", "period": {"start": "2027-01-09", "end": "2027-01-04"},
                 "amount": {"currency": "CNY", "amount": "1.234"}, "extra": 1}
                """), Map.of(), null, null), null)).isInstanceOfSatisfying(ChorusProblem.class, problem -> {
                    assertThat(problem.code()).isEqualTo(ApprovalProblems.FORM_INVALID);
                    assertThat(problem.errors()).extracting(ChorusProblem.FieldError::field)
                            .containsExactlyInAnyOrder("extra", "type", "period.end", "amount.amount");
                });
        assertThat(jdbc.sql("SELECT count(*) FROM approval.instance").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void templatesWithUnsoundFlowsAreRefusedOnSave() {
        FlowNode noDefault = FlowNode.condition("c", "Cond", List.of(
                new FlowNode.Branch("A", 1, Condition.compare("amount", Condition.Operator.GT, BigDecimal.TEN),
                        List.of()),
                new FlowNode.Branch("B", 2, Condition.compare("reason", Condition.Operator.GT, BigDecimal.ONE),
                        List.of())));
        assertThatThrownBy(() -> fixtures.template(List.of(noDefault,
                FlowNode.approval("m1", "Manager", ApproverRule.manager(0), null))))
                .isInstanceOfSatisfying(ChorusProblem.class, problem -> {
                    assertThat(problem.code()).isEqualTo(ApprovalProblems.TEMPLATE_INVALID);
                    assertThat(problem.errors()).extracting(ChorusProblem.FieldError::field).contains(
                            "flow[0].branches", "flow[0].branches[1].when.field", "flow[1].approvers.level",
                            "flow[1].mode");
                });
        assertThatThrownBy(() -> templates.create(as(bob), new TemplateDefinition("x", "y", null,
                ApprovalFixtures.leaveForm(), List.of(FlowNode.approval("m", "M", ApproverRule.manager(1),
                Mode.ANY)), null))).isInstanceOf(ChorusProblem.class);
    }
}
