package io.chorus.approval.internal;

import static io.chorus.approval.ApprovalFixtures.as;
import static io.chorus.approval.internal.Company.count;
import static io.chorus.approval.ApprovalFixtures.pendingTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.approval.ApprovalEvents;
import io.chorus.approval.ApprovalProblems;
import io.chorus.approval.ApproverRule;
import io.chorus.approval.Approvals;
import io.chorus.approval.FlowNode;
import io.chorus.approval.FlowNode.Mode;
import io.chorus.approval.InstanceView;
import io.chorus.approval.TemplateView;
import io.chorus.approval.Templates;
import io.chorus.org.OrgChart;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * Exactly one outcome under concurrency: commands on one request released at the same moment
 * on separate threads, many times over on fresh requests. The aggregate's optimistic lock makes
 * one of them win; the other runs again on the winner's state and is refused, or (ALL nodes)
 * still makes sense and succeeds.
 */
@ChorusIntegrationTest
class ApprovalRaceTest {

    static final int ROUNDS = 40;

    /** The same stand-in as the timer test, so that both share one running application. */
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

    Company company;
    TestUser bob;
    TestUser alice;
    TestUser carol;
    TestUser dave;

    @BeforeEach
    void people() {
        company = new Company(clients, chart, templates, approvals, jdbc);
        bob = company.person("bob");
        alice = company.person("alice");
        carol = company.person("carol");
        dave = company.person("dave");
    }

    @Test
    void twoApproversOfAnAnyNodeApprovingAtOnceGiveOneDecisionAndOneHistory() {
        TemplateView template = company.template(List.of(anyOf(alice, carol)));

        for (int round = 0; round < ROUNDS; round++) {
            InstanceView submitted = company.submit(bob, template);
            UUID aliceTask = pendingTask(submitted, alice);
            UUID carolTask = pendingTask(submitted, carol);

            List<Race.Outcome<InstanceView>> outcomes = Race.together(
                    () -> approvals.approve(as(alice), aliceTask, "ok from alice"),
                    () -> approvals.approve(as(carol), carolTask, "ok from carol"));

            InstanceView after = company.reload(submitted.id());
            String at = "round " + round + ", " + outcomes;
            assertOneWinnerOneConflict(outcomes, at);
            assertThat(after.state()).as(at).isEqualTo(InstanceView.State.APPROVED);
            assertThat(after.tasks()).as(at).extracting(InstanceView.Task::state)
                    .containsExactlyInAnyOrder("APPROVED", "CANCELLED");
            assertThat(count(after, "APPROVED")).as(at).isEqualTo(1);
            assertThat(count(after, "COMPLETED_APPROVED")).as(at).isEqualTo(1);
            assertThat(company.timelineRows(after.id(), "COMPLETED_APPROVED")).as(at).isEqualTo(1);
            assertPublishedOnce(after.id(), ApprovalEvents.ApprovalCompleted.class, at);
            assertPublishedOnce(after.id(), ApprovalEvents.ApprovalDecided.class, at);
            // The winner's command is the only change after the submit.
            assertThat(after.version()).as(at).isEqualTo(submitted.version() + 1);
        }
    }

    @Test
    void theLoserOfAnAnyNodeFollowedByAnotherNodeFindsItsTaskCancelledAndTheNextNodeIsReachedOnce() {
        TemplateView template = company.template(List.of(anyOf(alice, carol),
                FlowNode.approval("next", "Next", ApproverRule.users(List.of(dave.id())), Mode.SEQUENTIAL)));

        for (int round = 0; round < ROUNDS; round++) {
            InstanceView submitted = company.submit(bob, template);
            UUID aliceTask = pendingTask(submitted, alice);
            UUID carolTask = pendingTask(submitted, carol);

            List<Race.Outcome<InstanceView>> outcomes = Race.together(
                    () -> approvals.approve(as(alice), aliceTask, null),
                    () -> approvals.approve(as(carol), carolTask, null));

            InstanceView after = company.reload(submitted.id());
            String at = "round " + round + ", " + outcomes;
            assertOneWinnerOneConflict(outcomes, at);
            assertThat(outcomes).as(at).filteredOn(outcome -> !outcome.accepted())
                    .extracting(outcome -> outcome.refusal().code()).containsExactly(ApprovalProblems.TASK_NOT_PENDING);
            assertThat(after.state()).as(at).isEqualTo(InstanceView.State.PENDING);
            assertThat(after.currentStep()).as(at).isEqualTo(1);
            assertThat(after.tasks()).as(at).filteredOn(task -> task.step() == 0).extracting(InstanceView.Task::state)
                    .containsExactlyInAnyOrder("APPROVED", "CANCELLED");
            // Advancing twice would give dave two tasks.
            assertThat(after.tasks()).as(at).filteredOn(task -> task.step() == 1)
                    .extracting(InstanceView.Task::approverId, InstanceView.Task::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(dave.id(), "PENDING"));
            assertThat(count(after, "APPROVED")).as(at).isEqualTo(1);
            assertPublishedOnce(after.id(), ApprovalEvents.ApprovalDecided.class, at);
        }
    }

    @Test
    void approveRacingRejectOnAnAnyNodeGivesExactlyOneOutcome() {
        TemplateView template = company.template(List.of(anyOf(alice, carol)));
        int approved = 0;

        for (int round = 0; round < ROUNDS; round++) {
            InstanceView submitted = company.submit(bob, template);
            UUID aliceTask = pendingTask(submitted, alice);
            UUID carolTask = pendingTask(submitted, carol);

            List<Race.Outcome<InstanceView>> outcomes = Race.together(
                    () -> approvals.approve(as(alice), aliceTask, null),
                    () -> approvals.reject(as(carol), carolTask, "Not this week"));

            InstanceView after = company.reload(submitted.id());
            String at = "round " + round + ", " + outcomes;
            assertOneWinnerOneConflict(outcomes, at);
            boolean aliceWon = outcomes.get(0).accepted();
            approved += aliceWon ? 1 : 0;
            assertThat(after.state()).as(at)
                    .isEqualTo(aliceWon ? InstanceView.State.APPROVED : InstanceView.State.REJECTED);
            assertThat(after.tasks()).as(at).extracting(InstanceView.Task::approverId, InstanceView.Task::state)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(alice.id(), aliceWon ? "APPROVED" : "CANCELLED"),
                            org.assertj.core.groups.Tuple.tuple(carol.id(), aliceWon ? "CANCELLED" : "REJECTED"));
            assertThat(count(after, "APPROVED") + count(after, "REJECTED")).as(at).isEqualTo(1);
            assertThat(count(after, "COMPLETED_APPROVED") + count(after, "COMPLETED_REJECTED")).as(at).isEqualTo(1);
            assertThat(company.timelineRows(after.id(), aliceWon ? "COMPLETED_APPROVED" : "COMPLETED_REJECTED"))
                    .as(at).isEqualTo(1);
            assertPublishedOnce(after.id(), ApprovalEvents.ApprovalCompleted.class, at);
            assertPublishedOnce(after.id(), ApprovalEvents.ApprovalDecided.class, at);
        }
        // Not an assertion on timing: only a record of how the races went.
        System.out.printf("approve won %d of %d approve/reject races%n", approved, ROUNDS);
    }

    @Test
    void aDecisionRacingAWithdrawalEndsInOneOfTheTwoNeverBoth() {
        TemplateView template = company.template(List.of(
                FlowNode.approval("m", "Manager", ApproverRule.users(List.of(alice.id())), Mode.SEQUENTIAL)));
        int withdrawn = 0;

        for (int round = 0; round < ROUNDS; round++) {
            InstanceView submitted = company.submit(bob, template);
            UUID aliceTask = pendingTask(submitted, alice);
            boolean approving = round % 2 == 0;

            List<Race.Outcome<InstanceView>> outcomes = Race.together(
                    () -> approving ? approvals.approve(as(alice), aliceTask, null)
                            : approvals.reject(as(alice), aliceTask, "No"),
                    () -> approvals.withdraw(as(bob), submitted.id()));

            InstanceView after = company.reload(submitted.id());
            String at = "round " + round + (approving ? " (approve)" : " (reject)") + ", " + outcomes;
            assertOneWinnerOneConflict(outcomes, at);
            boolean withdrawalWon = outcomes.get(1).accepted();
            withdrawn += withdrawalWon ? 1 : 0;
            String decided = approving ? "COMPLETED_APPROVED" : "COMPLETED_REJECTED";
            if (withdrawalWon) {
                assertThat(after.state()).as(at).isEqualTo(InstanceView.State.WITHDRAWN);
                assertThat(after.tasks()).as(at).extracting(InstanceView.Task::state).containsExactly("CANCELLED");
                assertThat(count(after, "WITHDRAWN")).as(at).isEqualTo(1);
                assertThat(count(after, decided) + count(after, "APPROVED") + count(after, "REJECTED")).as(at)
                        .isZero();
                assertPublishedOnce(after.id(), ApprovalEvents.ApprovalWithdrawn.class, at);
                assertThat(company.publications(after.id(), ApprovalEvents.ApprovalCompleted.class)).as(at).isEmpty();
            } else {
                assertThat(after.state()).as(at)
                        .isEqualTo(approving ? InstanceView.State.APPROVED : InstanceView.State.REJECTED);
                assertThat(after.tasks()).as(at).extracting(InstanceView.Task::state)
                        .containsExactly(approving ? "APPROVED" : "REJECTED");
                assertThat(count(after, decided)).as(at).isEqualTo(1);
                assertThat(count(after, "WITHDRAWN")).as(at).isZero();
                assertPublishedOnce(after.id(), ApprovalEvents.ApprovalCompleted.class, at);
                assertThat(company.publications(after.id(), ApprovalEvents.ApprovalWithdrawn.class)).as(at).isEmpty();
            }
            assertThat(company.timelineRows(after.id(), "WITHDRAWN") + company.timelineRows(after.id(), decided))
                    .as(at).isEqualTo(1);
            assertThat(after.version()).as(at).isEqualTo(submitted.version() + 1);
        }
        System.out.printf("withdrawal won %d of %d decision/withdrawal races%n", withdrawn, ROUNDS);
    }

    @Test
    void allApproversOfAnAllNodeApprovingAtOnceAllSucceed() {
        List<TestUser> approvers = List.of(alice, carol, dave, company.person("erin"));
        TemplateView template = company.template(List.of(FlowNode.approval("all", "Everyone",
                ApproverRule.users(approvers.stream().map(TestUser::id).toList()), Mode.ALL)));

        for (int round = 0; round < 10; round++) {
            InstanceView submitted = company.submit(bob, template);
            List<Callable<InstanceView>> contenders = new ArrayList<>();
            for (TestUser approver : approvers) {
                UUID task = pendingTask(submitted, approver);
                contenders.add(() -> approvals.approve(as(approver), task, null));
            }

            List<Race.Outcome<InstanceView>> outcomes = Race.together(contenders);

            InstanceView after = company.reload(submitted.id());
            String at = "round " + round + ", " + outcomes;
            assertThat(outcomes).as(at).allMatch(Race.Outcome::accepted);
            assertThat(after.state()).as(at).isEqualTo(InstanceView.State.APPROVED);
            assertThat(after.tasks()).as(at).hasSize(approvers.size()).allMatch(task -> task.state().equals("APPROVED"));
            assertThat(after.timeline()).as(at).filteredOn(entry -> entry.action().equals("APPROVED"))
                    .extracting(InstanceView.TimelineItem::taskId)
                    .containsExactlyInAnyOrderElementsOf(after.tasks().stream().map(InstanceView.Task::id).toList());
            assertThat(count(after, "COMPLETED_APPROVED")).as(at).isEqualTo(1);
            assertPublishedOnce(after.id(), ApprovalEvents.ApprovalCompleted.class, at);
            assertThat(after.version()).as(at).isEqualTo(submitted.version() + approvers.size());
        }
    }

    static FlowNode anyOf(TestUser... approvers) {
        return FlowNode.approval("any", "Either", ApproverRule.users(java.util.Arrays.stream(approvers)
                .map(TestUser::id).toList()), Mode.ANY);
    }

    static void assertOneWinnerOneConflict(List<Race.Outcome<InstanceView>> outcomes, String at) {
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(outcomes).as(at).filteredOn(Race.Outcome::accepted).hasSize(1);
        softly.assertThat(outcomes).as(at).filteredOn(outcome -> !outcome.accepted()).singleElement()
                .satisfies(loser -> {
                    assertThat(loser.refusal().status()).isEqualTo(HttpStatus.CONFLICT);
                    assertThat(loser.refusal().code()).isIn(ApprovalProblems.INSTANCE_NOT_PENDING,
                            ApprovalProblems.TASK_NOT_PENDING);
                });
        softly.assertAll();
    }

    void assertPublishedOnce(UUID instanceId, Class<?> event, String at) {
        Map<String, Long> perListener = company.publications(instanceId, event);
        assertThat(perListener).as("%s publications of %s", at, event.getSimpleName()).isNotEmpty()
                .allSatisfy((listener, published) -> assertThat(published).as(listener).isEqualTo(1L));
    }
}
