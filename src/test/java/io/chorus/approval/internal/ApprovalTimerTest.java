package io.chorus.approval.internal;

import static io.chorus.approval.ApprovalFixtures.as;
import static io.chorus.approval.internal.Company.count;
import static io.chorus.approval.ApprovalFixtures.pendingTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.chorus.approval.ApprovalEvents;
import io.chorus.approval.ApproverRule;
import io.chorus.approval.Approvals;
import io.chorus.approval.FlowNode;
import io.chorus.approval.InstanceView;
import io.chorus.approval.TemplateView;
import io.chorus.approval.Templates;
import io.chorus.org.OrgChart;
import io.chorus.support.AdjustableClock;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * Node timeouts on a clock the test moves: a reminder after {@code remindAfter}, an escalation
 * to the approver's manager after {@code escalateAfter}, each exactly once even when four
 * application nodes look for due timers at the same moment.
 */
@ChorusIntegrationTest
class ApprovalTimerTest {

    static final int NODES = 4;

    @TestBean(name = "clock", methodName = "io.chorus.support.AdjustableClock#standIn")
    Clock clock;

    @Autowired
    TestClients clients;
    @Autowired
    OrgChart chart;
    @Autowired
    Templates templates;
    @Autowired
    Approvals approvals;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ApprovalTimers timers;

    Company company;
    TestUser bob;
    TestUser lead;
    TestUser head;
    TestUser ceo;
    TemplateView template;

    @BeforeEach
    void people() {
        company = new Company(clients, chart, templates, approvals, jdbc);
        bob = company.person("bob");
        lead = company.person("lead");
        head = company.person("head");
        ceo = company.person("ceo");
        company.manager(lead, head);
        company.manager(head, ceo);
        template = company.template(List.of(new FlowNode("lead", FlowNode.Kind.APPROVAL, "Lead",
                ApproverRule.users(List.of(lead.id())), FlowNode.Mode.SEQUENTIAL, Duration.ofHours(1),
                Duration.ofHours(2), null, null)));
    }

    @AfterEach
    void backToNow() {
        ((AdjustableClock) clock).reset();
    }

    @Test
    void aReminderAfterAnHourAndAnEscalationAfterTwoFireOnceEachOnSeveralNodes() {
        InstanceView submitted = company.submit(bob, template);
        UUID leadTask = pendingTask(submitted, lead);

        later(Duration.ofMinutes(59));
        fireOnEveryNode();
        InstanceView early = company.reload(submitted.id());
        assertThat(count(early, "REMINDED_BY_TIMER") + count(early, "ESCALATION")).isZero();
        assertThat(early.version()).isEqualTo(submitted.version());

        later(Duration.ofMinutes(2));
        fireOnEveryNode();
        fireOnEveryNode();
        InstanceView reminded = company.reload(submitted.id());
        assertThat(reminded.timeline()).filteredOn(entry -> entry.action().equals("REMINDED_BY_TIMER"))
                .extracting(InstanceView.TimelineItem::taskId, InstanceView.TimelineItem::targetId)
                .containsExactly(tuple(leadTask, lead.id()));
        assertThat(count(reminded, "ESCALATION")).isZero();
        assertThat(pendingTask(reminded, lead)).isEqualTo(leadTask);
        assertThat(reminded.version()).isEqualTo(submitted.version() + 1);
        assertThat(company.timelineRows(submitted.id(), "REMINDED_BY_TIMER")).isEqualTo(1);
        assertThat(company.publications(submitted.id(), ApprovalEvents.ApprovalReminded.class)).isNotEmpty()
                .allSatisfy((listener, published) -> assertThat(published).as(listener).isEqualTo(1L));

        later(Duration.ofHours(1));
        fireOnEveryNode();
        InstanceView escalated = company.reload(submitted.id());
        assertThat(escalated.timeline()).filteredOn(entry -> entry.action().equals("ESCALATION"))
                .extracting(InstanceView.TimelineItem::targetId).containsExactly(head.id());
        assertThat(escalated.tasks()).extracting(InstanceView.Task::approverId, InstanceView.Task::state,
                InstanceView.Task::origin).containsExactlyInAnyOrder(tuple(lead.id(), "TRANSFERRED", "RESOLVED"),
                        tuple(head.id(), "PENDING", "ESCALATED"));
        assertThat(escalated.version()).isEqualTo(submitted.version() + 2);
        assertThat(company.publications(submitted.id(), ApprovalEvents.ApprovalTaskHandedOver.class)).isNotEmpty()
                .allSatisfy((listener, published) -> assertThat(published).as(listener).isEqualTo(1L));

        // Head has a manager of their own, yet the escalated task stays with head.
        later(Duration.ofHours(5));
        fireOnEveryNode();
        InstanceView muchLater = company.reload(submitted.id());
        assertThat(count(muchLater, "ESCALATION")).isEqualTo(1);
        assertThat(muchLater.tasks()).extracting(InstanceView.Task::approverId).doesNotContain(ceo.id());
        UUID headTask = pendingTask(muchLater, head);
        // The escalated task keeps its own reminder, once.
        assertThat(muchLater.timeline()).filteredOn(entry -> entry.action().equals("REMINDED_BY_TIMER"))
                .extracting(InstanceView.TimelineItem::taskId).containsExactly(leadTask, headTask);

        InstanceView done = approvals.approve(as(head), headTask, null);
        assertThat(done.state()).isEqualTo(InstanceView.State.APPROVED);
    }

    @Test
    void aTaskDecidedBeforeItsTimeoutsNeitherRemindsNorEscalates() {
        InstanceView submitted = company.submit(bob, template);
        InstanceView approved = approvals.approve(as(lead), pendingTask(submitted, lead), null);

        later(Duration.ofHours(3));
        fireOnEveryNode();

        InstanceView after = company.reload(submitted.id());
        assertThat(after.version()).isEqualTo(approved.version());
        assertThat(count(after, "REMINDED_BY_TIMER") + count(after, "ESCALATION")).isZero();
        assertThat(after.tasks()).extracting(InstanceView.Task::state).containsExactly("APPROVED");
    }

    @Test
    void bothTimeoutsDueAtOnceRemindAndEscalateInOneChange() {
        InstanceView submitted = company.submit(bob, template);
        UUID leadTask = pendingTask(submitted, lead);

        later(Duration.ofMinutes(121));
        fireOnEveryNode();

        InstanceView after = company.reload(submitted.id());
        assertThat(after.timeline()).extracting(InstanceView.TimelineItem::action)
                .containsSubsequence("REMINDED_BY_TIMER", "ESCALATION");
        assertThat(count(after, "REMINDED_BY_TIMER")).isEqualTo(1);
        assertThat(count(after, "ESCALATION")).isEqualTo(1);
        assertThat(after.tasks()).filteredOn(task -> task.id().equals(leadTask)).extracting(InstanceView.Task::state)
                .containsExactly("TRANSFERRED");
        assertThat(after.version()).isEqualTo(submitted.version() + 1);
    }

    private void later(Duration by) {
        ((AdjustableClock) clock).advance(by);
    }

    /** Every application node's scheduler looking for due timers at the same moment. */
    private void fireOnEveryNode() {
        List<Callable<Integer>> nodes = Collections.nCopies(NODES, timers::fireDue);
        assertThat(Race.together(nodes)).allMatch(Race.Outcome::accepted);
    }
}
