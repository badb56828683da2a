package io.chorus.approval;

import static io.chorus.approval.ApprovalFixtures.as;
import static io.chorus.approval.ApprovalFixtures.pendingApprovers;
import static io.chorus.approval.ApprovalFixtures.pendingTask;
import static io.chorus.approval.ApprovalFixtures.leave;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.approval.FlowNode.Mode;
import io.chorus.org.OrgChart;
import io.chorus.platform.ChorusProblem;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The engine end to end on a real database: nodes, modes, resolution through the org chart. */
@ChorusIntegrationTest
class ApprovalFlowTest {

    @Autowired
    TestClients clients;
    @Autowired
    OrgChart chart;
    @Autowired
    Templates templates;
    @Autowired
    Approvals approvals;

    ApprovalFixtures fixtures;
    TestUser ceo;
    TestUser head;
    TestUser lead;
    TestUser bob;

    @BeforeEach
    void company() {
        fixtures = new ApprovalFixtures(clients, chart, templates);
        ApprovalFixtures.Company company = fixtures.company();
        ceo = company.ceo();
        head = company.head();
        lead = company.lead();
        bob = company.bob();
    }

    @Test
    void sequentialManagerChainApprovesStepByStep() {
        TemplateView template = fixtures.template(List.of(
                FlowNode.approval("m1", "Manager", ApproverRule.manager(1), Mode.SEQUENTIAL),
                FlowNode.approval("m2", "Manager's manager", ApproverRule.manager(2), Mode.SEQUENTIAL)));

        InstanceView submitted = approvals.submit(as(bob), new SubmitApproval(template.id(), leave("Annual", 2),
                Map.of(), null, null), null).instance();

        assertThat(submitted.state()).isEqualTo(InstanceView.State.PENDING);
        assertThat(pendingApprovers(submitted)).containsExactly(lead.id());
        UUID first = pendingTask(submitted, lead);
        InstanceView afterFirst = approvals.approve(as(lead), first, "Enjoy");
        assertThat(afterFirst.currentStep()).isEqualTo(1);
        assertThat(pendingApprovers(afterFirst)).containsExactly(head.id());

        InstanceView done = approvals.approve(as(head), pendingTask(afterFirst, head), null);
        assertThat(done.state()).isEqualTo(InstanceView.State.APPROVED);
        assertThat(done.completedAt()).isNotNull();
        assertThat(done.timeline()).extracting(InstanceView.TimelineItem::action)
                .containsSubsequence("SUBMITTED", "APPROVED", "APPROVED", "COMPLETED_APPROVED");
        assertThat(done.form().get("period").get("days").asInt()).isEqualTo(2);
    }

    @Test
    void theRequesterCannotDecideTheirOwnRequest() {
        TemplateView template = fixtures.template(List.of(
                FlowNode.approval("m1", "Manager", ApproverRule.manager(1), Mode.SEQUENTIAL)));
        InstanceView submitted = approvals.submit(as(bob), new SubmitApproval(template.id(), leave("Sick", 1),
                Map.of(), null, null), null).instance();
        UUID task = pendingTask(submitted, lead);

        assertThatThrownBy(() -> approvals.approve(as(bob), task, null)).isInstanceOfSatisfying(ChorusProblem.class,
                problem -> assertThat(problem.code()).isEqualTo(ApprovalProblems.NOT_YOUR_TASK));
    }

    private InstanceView submit(TestUser requester, List<FlowNode> flow) {
        return approvals.submit(as(requester), new SubmitApproval(fixtures.template(flow).id(), leave("Annual", 2),
                Map.of(), null, null), null).instance();
    }

    private static FlowNode node(String id, Mode mode, TestUser... approvers) {
        return FlowNode.approval(id, id, ApproverRule.users(java.util.Arrays.stream(approvers).map(TestUser::id)
                .toList()), mode);
    }

    @Test
    void allNodesNeedEveryApproverAndAnyNodesTheFirst() {
        TestUser carol = fixtures.person("carol");
        InstanceView all = submit(bob, List.of(node("all", Mode.ALL, lead, head, carol)));
        assertThat(pendingApprovers(all)).containsExactlyInAnyOrder(lead.id(), head.id(), carol.id());
        all = approvals.approve(as(lead), pendingTask(all, lead), null);
        all = approvals.approve(as(head), pendingTask(all, head), null);
        assertThat(all.state()).isEqualTo(InstanceView.State.PENDING);
        all = approvals.approve(as(carol), pendingTask(all, carol), null);
        assertThat(all.state()).isEqualTo(InstanceView.State.APPROVED);

        InstanceView any = submit(bob, List.of(node("any", Mode.ANY, lead, head, carol)));
        UUID headsTask = pendingTask(any, head);
        any = approvals.approve(as(lead), pendingTask(any, lead), null);
        assertThat(any.state()).isEqualTo(InstanceView.State.APPROVED);
        assertThat(any.tasks()).filteredOn(task -> !task.approverId().equals(lead.id()))
                .allMatch(task -> task.state().equals("CANCELLED"));
        assertThatThrownBy(() -> approvals.approve(as(head), headsTask, null)).isInstanceOfSatisfying(
                ChorusProblem.class, problem -> assertThat(problem.code()).isIn(ApprovalProblems.TASK_NOT_PENDING,
                        ApprovalProblems.INSTANCE_NOT_PENDING));

        InstanceView sequential = submit(bob, List.of(node("seq", Mode.SEQUENTIAL, lead, head)));
        assertThat(pendingApprovers(sequential)).containsExactly(lead.id());
        sequential = approvals.approve(as(lead), pendingTask(sequential, lead), null);
        assertThat(pendingApprovers(sequential)).containsExactly(head.id());
    }

    @Test
    void aRejectionNeedsAReasonAndEndsTheRequest() {
        InstanceView instance = submit(bob, List.of(node("all", Mode.ALL, lead, head)));
        UUID task = pendingTask(instance, lead);
        assertThatThrownBy(() -> approvals.reject(as(lead), task, " ")).isInstanceOfSatisfying(ChorusProblem.class,
                problem -> assertThat(problem.code()).isEqualTo(ApprovalProblems.REASON_REQUIRED));
        InstanceView rejected = approvals.reject(as(lead), task, "Too busy this week");
        assertThat(rejected.state()).isEqualTo(InstanceView.State.REJECTED);
        assertThat(rejected.tasks()).noneMatch(each -> each.state().equals("PENDING"));

        InstanceView again = approvals.submit(as(bob), new SubmitApproval(rejected.templateId(), leave("Annual", 1),
                Map.of(), null, rejected.id()), null).instance();
        assertThat(again.resubmittedFrom()).isEqualTo(rejected.id());
        assertThatThrownBy(() -> approvals.submit(as(bob), new SubmitApproval(again.templateId(), leave("Annual", 1),
                Map.of(), null, again.id()), null)).isInstanceOfSatisfying(ChorusProblem.class,
                problem -> assertThat(problem.code()).isEqualTo(ApprovalProblems.NOT_RESUBMITTABLE));
    }

    @Test
    void theRequesterWithdrawsWhilePendingOnly() {
        InstanceView instance = submit(bob, List.of(node("one", Mode.ANY, lead)));
        assertThatThrownBy(() -> approvals.withdraw(as(lead), instance.id())).isInstanceOfSatisfying(
                ChorusProblem.class, problem -> assertThat(problem.code()).isEqualTo(ApprovalProblems.NOT_REQUESTER));
        InstanceView withdrawn = approvals.withdraw(as(bob), instance.id());
        assertThat(withdrawn.state()).isEqualTo(InstanceView.State.WITHDRAWN);
        assertThat(withdrawn.tasks()).allMatch(task -> task.state().equals("CANCELLED"));
        assertThatThrownBy(() -> approvals.withdraw(as(bob), instance.id())).isInstanceOfSatisfying(
                ChorusProblem.class, problem -> assertThat(problem.code())
                        .isEqualTo(ApprovalProblems.INSTANCE_NOT_PENDING));
    }

    @Test
    void transferHandsTheTaskOnAndAddSignInsertsAnApprover() {
        TestUser carol = fixtures.person("carol");
        InstanceView instance = submit(bob, List.of(node("one", Mode.SEQUENTIAL, lead), node("two", Mode.ANY, ceo)));
        UUID leads = pendingTask(instance, lead);
        assertThatThrownBy(() -> approvals.transfer(as(lead), leads, bob.id(), null)).isInstanceOfSatisfying(
                ChorusProblem.class, problem -> assertThat(problem.code()).isEqualTo(ApprovalProblems.INVALID_APPROVER));
        instance = approvals.transfer(as(lead), leads, head.id(), "On holiday");
        assertThat(pendingApprovers(instance)).containsExactly(head.id());
        assertThat(approvals.get(as(lead), instance.id()).id()).as("past approvers keep seeing it")
                .isEqualTo(instance.id());

        // Before: carol decides first, then it is head's turn again.
        instance = approvals.addSign(as(head), pendingTask(instance, head), carol.id(), true, "Please check");
        assertThat(pendingApprovers(instance)).containsExactly(carol.id());
        instance = approvals.approve(as(carol), pendingTask(instance, carol), null);
        assertThat(pendingApprovers(instance)).containsExactly(head.id());
        // After: head approves now, carol must approve too before the next step.
        TestUser dave = fixtures.person("dave");
        instance = approvals.addSign(as(head), pendingTask(instance, head), dave.id(), false, null);
        assertThat(pendingApprovers(instance)).containsExactly(dave.id());
        instance = approvals.approve(as(dave), pendingTask(instance, dave), null);
        assertThat(instance.currentStep()).isEqualTo(1);
        assertThat(pendingApprovers(instance)).containsExactly(ceo.id());
    }

    @Test
    void anAddedApproverWhoHandsTheirTaskOnIsStillAnAddition() {
        TestUser carol = fixtures.person("carol");
        TestUser dave = fixtures.person("dave");
        InstanceView instance = submit(bob, List.of(node("any", Mode.ANY, lead, head)));
        instance = approvals.addSign(as(lead), pendingTask(instance, lead), carol.id(), true, null);
        UUID leads = instance.tasks().stream().filter(task -> task.approverId().equals(lead.id())).findFirst()
                .orElseThrow().id();
        assertThat(instance.tasks()).filteredOn(task -> task.id().equals(leads))
                .allMatch(task -> task.state().equals("WAITING") && task.activatedAt() == null);
        instance = approvals.transfer(as(carol), pendingTask(instance, carol), dave.id(), null);
        assertThat(instance.tasks()).anyMatch(task -> task.approverId().equals(dave.id())
                && task.origin().equals("ADDED_BEFORE"));

        // Dave's approval is the addition's, not the ANY node's decision: lead decides again, and head still may.
        instance = approvals.approve(as(dave), pendingTask(instance, dave), null);
        assertThat(instance.state()).isEqualTo(InstanceView.State.PENDING);
        assertThat(pendingApprovers(instance)).containsExactlyInAnyOrder(lead.id(), head.id());
    }

    @Test
    void textIsStoredWithLineFeedsAndListsShowNoStepForFinishedRequests() {
        TemplateView template = fixtures.template(List.of(node("one", Mode.ANY, lead)));
        InstanceView instance = approvals.submit(as(bob), new SubmitApproval(template.id(), ApprovalFixtures.json("""
                {"type": "Annual", "period": {"start": "2027-01-04", "end": "2027-01-04"},
                 "reason": "line one\\r\\nline two\\rline three"}
                """), Map.of(), null, null), null).instance();
        assertThat(instance.form().get("reason").asString()).isEqualTo("line one\nline two\nline three");
        approvals.withdraw(as(bob), instance.id());
        InstanceSummary listed = approvals.instances(as(bob), new InstanceQuery(InstanceQuery.View.SUBMITTED,
                template.id(), null, null, null, null, 10)).items().getFirst();
        assertThat(listed.state()).isEqualTo(InstanceView.State.WITHDRAWN);
        assertThat(listed.currentStep()).isNull();
    }

    @Test
    void anApproverReturnsTheRequestToAnEarlierStep() {
        InstanceView instance = submit(bob, List.of(node("one", Mode.ANY, lead), node("two", Mode.ANY, head)));
        instance = approvals.approve(as(lead), pendingTask(instance, lead), null);
        UUID heads = pendingTask(instance, head);
        assertThatThrownBy(() -> approvals.returnTo(as(head), heads, 1, null)).isInstanceOfSatisfying(
                ChorusProblem.class, problem -> assertThat(problem.code()).isEqualTo(ApprovalProblems.INVALID_RETURN));
        instance = approvals.returnTo(as(head), heads, 0, "Check the dates again");
        assertThat(instance.currentStep()).isEqualTo(0);
        assertThat(pendingApprovers(instance)).containsExactly(lead.id());
        instance = approvals.approve(as(lead), pendingTask(instance, lead), null);
        instance = approvals.approve(as(head), pendingTask(instance, head), null);
        assertThat(instance.state()).isEqualTo(InstanceView.State.APPROVED);
    }

    @Test
    void commentsMentionPeopleWhoThenMaySeeTheRequest() {
        TestUser carol = fixtures.person("carol");
        InstanceView instance = submit(bob, List.of(node("one", Mode.ANY, lead)));
        assertThatThrownBy(() -> approvals.get(as(carol), instance.id())).isInstanceOf(ChorusProblem.class);
        assertThatThrownBy(() -> approvals.comment(as(carol), instance.id(), "hi", List.of()))
                .isInstanceOfSatisfying(ChorusProblem.class, problem -> assertThat(problem.code())
                        .isEqualTo(ApprovalProblems.INSTANCE_NOT_FOUND));
        InstanceView commented = approvals.comment(as(lead), instance.id(), "@carol can you cover?",
                List.of(carol.id()));
        assertThat(commented.timeline().getLast().mentions()).containsExactly(carol.id());
        assertThat(approvals.get(as(carol), instance.id()).timeline().getLast().comment())
                .isEqualTo("@carol can you cover?");
        // A mentioned reader may answer, but not pass the request on to others.
        TestUser dave = fixtures.person("dave");
        approvals.comment(as(carol), instance.id(), "Sure", List.of());
        assertThatThrownBy(() -> approvals.comment(as(carol), instance.id(), "@dave look", List.of(dave.id())))
                .isInstanceOfSatisfying(ChorusProblem.class, problem -> assertThat(problem.status().value())
                        .isEqualTo(403));
        assertThatThrownBy(() -> approvals.get(as(dave), instance.id())).isInstanceOf(ChorusProblem.class);
    }

    @Test
    void remindersAreRateLimited() {
        InstanceView instance = submit(bob, List.of(node("one", Mode.ANY, lead)));
        approvals.remind(as(bob), instance.id());
        assertThatThrownBy(() -> approvals.remind(as(bob), instance.id())).isInstanceOfSatisfying(
                ChorusProblem.class, problem -> {
                    assertThat(problem.status().value()).isEqualTo(429);
                    assertThat(problem.retryAfterSeconds()).hasValueSatisfying(seconds ->
                            assertThat(seconds).isBetween(1L, 600L));
                });
        assertThatThrownBy(() -> approvals.remind(as(lead), instance.id())).isInstanceOfSatisfying(
                ChorusProblem.class, problem -> assertThat(problem.code()).isEqualTo(ApprovalProblems.NOT_REQUESTER));
    }

    @Test
    void aRunningRequestKeepsItsTemplateVersionAndADisabledTemplateTakesNoNewOnes() {
        TemplateView template = fixtures.template(List.of(node("one", Mode.ANY, lead)));
        InstanceView running = approvals.submit(as(bob), new SubmitApproval(template.id(), leave("Annual", 1),
                Map.of(), null, null), null).instance();
        TemplateView v2 = templates.publish(fixtures.adminUser(), template.id(), new TemplateDefinition(
                template.name(), template.category(), null, template.form(), List.of(node("one", Mode.ANY, head)),
                null));
        assertThat(v2.version()).isEqualTo(2);
        templates.setEnabled(fixtures.adminUser(), template.id(), false);
        assertThatThrownBy(() -> approvals.submit(as(bob), new SubmitApproval(template.id(), leave("Annual", 1),
                Map.of(), null, null), null)).isInstanceOfSatisfying(ChorusProblem.class,
                problem -> assertThat(problem.code()).isEqualTo(ApprovalProblems.TEMPLATE_DISABLED));

        InstanceView done = approvals.approve(as(lead), pendingTask(running, lead), null);
        assertThat(done.templateVersion()).isEqualTo(1);
        assertThat(done.state()).isEqualTo(InstanceView.State.APPROVED);
    }
}
