package io.chorus.approval;

import static io.chorus.approval.ApprovalFixtures.as;
import static io.chorus.approval.ApprovalFixtures.leave;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.approval.FlowNode.Mode;
import io.chorus.org.DepartmentId;
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
    DepartmentId company;
    DepartmentId engineering;

    @BeforeEach
    void company() {
        fixtures = new ApprovalFixtures(clients, chart, templates);
        ceo = fixtures.person("ceo");
        head = fixtures.person("head");
        lead = fixtures.person("lead");
        bob = fixtures.person("bob");
        company = fixtures.department("Company", null);
        engineering = fixtures.department("Engineering", company);
        fixtures.member(ceo, company);
        fixtures.heads(company, ceo);
        fixtures.member(head, engineering);
        fixtures.member(lead, engineering);
        fixtures.member(bob, engineering);
        fixtures.heads(engineering, head);
        fixtures.manager(bob, lead);
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

    static List<UUID> pendingApprovers(InstanceView instance) {
        return instance.tasks().stream().filter(task -> task.state().equals("PENDING"))
                .map(InstanceView.Task::approverId).toList();
    }

    static UUID pendingTask(InstanceView instance, TestUser approver) {
        return instance.tasks().stream().filter(task -> task.state().equals("PENDING")
                && task.approverId().equals(approver.id())).findFirst().orElseThrow().id();
    }
}
