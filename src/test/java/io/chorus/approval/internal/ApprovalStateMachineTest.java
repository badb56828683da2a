package io.chorus.approval.internal;

import static io.chorus.approval.ApprovalFixtures.as;
import static io.chorus.approval.internal.Company.count;
import static io.chorus.approval.ApprovalFixtures.pendingTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.approval.ApprovalEvents;
import io.chorus.approval.ApproverRule;
import io.chorus.approval.Approvals;
import io.chorus.approval.FlowNode;
import io.chorus.approval.FlowNode.Mode;
import io.chorus.approval.InstanceView;
import io.chorus.approval.TemplateView;
import io.chorus.approval.Templates;
import io.chorus.org.OrgChart;
import io.chorus.platform.ChorusProblem;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * The engine as a state machine: random flows, random commands by random people (approvers,
 * the requester, someone not involved at all), and after every step the invariants every
 * request keeps whatever happens to it. Each repetition has its own seed, printed with any
 * failure, so a failing sequence can be replayed by running that repetition again.
 */
@ChorusIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalStateMachineTest {

    static final long SEED = 0x5EED_A77L;
    static final int COMMANDS = 40;
    /** Commands tried on a finished request before the sequence stops: all must be refused but comments. */
    static final int AFTER_THE_END = 5;

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
    TestUser requester;
    List<TestUser> staff;
    TestUser outsider;
    List<TestUser> everyone;

    @BeforeAll
    void company() {
        company = new Company(clients, chart, templates, approvals, jdbc);
        requester = company.person("requester");
        staff = IntStream.range(0, 5).mapToObj(i -> company.person("staff" + i)).toList();
        outsider = company.person("outsider");
        everyone = new ArrayList<>(staff);
        everyone.add(requester);
        everyone.add(outsider);
    }

    enum Kind {
        APPROVE, REJECT, WITHDRAW, TRANSFER, ADD_SIGN, RETURN, COMMENT
    }

    /** What the sequences did, by command and result: a record that they explore, not an assertion. */
    final Map<String, Integer> tally = new java.util.TreeMap<>();

    @AfterAll
    void report() {
        System.out.println("state machine tally: " + tally);
    }

    static final Set<String> OUTCOMES = Set.of("COMPLETED_APPROVED", "COMPLETED_REJECTED", "WITHDRAWN");
    static final Set<String> TERMINAL_TASK_STATES = Set.of("APPROVED", "REJECTED", "TRANSFERRED", "CANCELLED");

    @RepeatedTest(40)
    void randomCommandsKeepEveryInvariant(RepetitionInfo repetition) {
        long seed = SEED + repetition.getCurrentRepetition();
        Random random = new Random(seed);
        List<FlowNode> flow = randomFlow(random);
        List<String> history = new ArrayList<>();
        history.add("seed " + seed + ", flow " + describe(flow));
        // As stored (timestamps at the database's precision), so that views compare field by field.
        InstanceView current = company.reload(company.submit(requester, company.template(flow)).id());
        check(current, null, history);

        int afterTheEnd = 0;
        for (int i = 0; i < COMMANDS && afterTheEnd < AFTER_THE_END; i++) {
            afterTheEnd += current.state() == InstanceView.State.PENDING ? 0 : 1;
            Command command = randomCommand(random, current);
            InstanceView before = current;
            InstanceView returned = null;
            ChorusProblem refusal = null;
            try {
                returned = command.run().get();
            } catch (ChorusProblem refused) {
                refusal = refused;
            }
            current = company.reload(before.id());
            tally.merge(command.kind() + (refusal == null ? " accepted" : " " + refusal.code()), 1, Integer::sum);
            history.add(command.description() + " -> " + (refusal == null ? "accepted, " + current.state()
                    + " at step " + current.currentStep() : refusal.status().value() + " " + refusal.code()));
            String at = String.join("\n  ", history);
            if (before.state() != InstanceView.State.PENDING && command.kind() != Kind.COMMENT) {
                assertThat(refusal).as("a finished request takes nothing but comments: %s", at).isNotNull();
            }
            if (refusal == null) {
                assertThat(returned.version()).as(at).isEqualTo(current.version());
                assertThat(current.version()).as("an accepted command changes the version once: %s", at)
                        .isEqualTo(before.version() + 1);
                if (command.kind() == Kind.RETURN && current.state() == InstanceView.State.PENDING) {
                    // A return reaches the step it names, unless that step now passes at once (requester skipped).
                    List<InstanceView.TimelineItem> added = current.timeline().subList(before.timeline().size(),
                            current.timeline().size());
                    boolean passed = added.stream().anyMatch(entry -> entry.action().equals("REQUESTER_SKIPPED")
                            && command.step().equals(entry.step()));
                    if (!passed) {
                        assertThat(current.currentStep()).as("a return reaches its step: %s", at)
                                .isEqualTo(command.step());
                    }
                }
            } else {
                assertThat(refusal.status().is4xxClientError()).as(at).isTrue();
                assertUnchanged(current, before, at);
            }
            check(current, before, history);
        }

        tally.merge("final " + current.state(), 1, Integer::sum);
        String at = String.join("\n  ", history);
        long outcomes = current.timeline().stream().filter(entry -> OUTCOMES.contains(entry.action())).count();
        for (Class<?> event : List.of(ApprovalEvents.ApprovalCompleted.class, ApprovalEvents.ApprovalWithdrawn.class)) {
            Map<String, Long> perListener = company.publications(current.id(), event);
            assertThat(perListener.values()).as("%s published at most once: %s", event.getSimpleName(), at)
                    .allMatch(published -> published == 1L);
        }
        long published = company.publications(current.id(), ApprovalEvents.ApprovalCompleted.class).size()
                + company.publications(current.id(), ApprovalEvents.ApprovalWithdrawn.class).size();
        assertThat(published > 0).as("an outcome is published when there is one: %s", at).isEqualTo(outcomes > 0);
    }

    @Test
    void returningToAnEarlierAnyNodeAsksItsApproversAgain() {
        TestUser a = staff.get(0);
        TestUser b = staff.get(1);
        TestUser c = staff.get(2);
        InstanceView submitted = company.submit(requester, company.template(List.of(
                FlowNode.approval("any", "Either", ApproverRule.users(List.of(a.id(), b.id())), Mode.ANY),
                FlowNode.approval("last", "Last", ApproverRule.users(List.of(c.id())), Mode.SEQUENTIAL))));
        InstanceView atLast = approvals.approve(as(a), pendingTask(submitted, a), null);

        InstanceView returned = approvals.returnTo(as(c), pendingTask(atLast, c), 0, "Check the dates again");

        assertThat(returned.currentStep()).isEqualTo(0);
        assertThat(returned.tasks()).filteredOn(task -> task.state().equals("PENDING"))
                .extracting(InstanceView.Task::step, InstanceView.Task::approverId)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(0, a.id()),
                        org.assertj.core.groups.Tuple.tuple(0, b.id()));
        InstanceView again = approvals.approve(as(b), pendingTask(returned, b), null);
        assertThat(again.currentStep()).isEqualTo(1);
        assertThat(approvals.approve(as(c), pendingTask(again, c), null).state())
                .isEqualTo(InstanceView.State.APPROVED);
    }

    // ----- the invariants -----------------------------------------------------------------------

    private static void assertUnchanged(InstanceView now, InstanceView before, String at) {
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(now.version()).as("a refused command leaves the version: %s", at).isEqualTo(before.version());
        softly.assertThat(now.state()).as(at).isEqualTo(before.state());
        softly.assertThat(now.currentStep()).as(at).isEqualTo(before.currentStep());
        softly.assertThat(now.timeline()).as("a refused command leaves the timeline: %s", at)
                .containsExactlyElementsOf(before.timeline());
        softly.assertThat(now.tasks()).as("a refused command leaves the tasks: %s", at)
                .containsExactlyInAnyOrderElementsOf(before.tasks());
        softly.assertThat(now.ccIds()).as(at).containsExactlyElementsOf(before.ccIds());
        softly.assertAll();
    }

    private void check(InstanceView now, InstanceView before, List<String> history) {
        String at = String.join("\n  ", history);
        SoftAssertions softly = new SoftAssertions();
        List<InstanceView.Task> live = now.tasks().stream()
                .filter(task -> task.state().equals("PENDING") || task.state().equals("WAITING")).toList();
        long outcomes = now.timeline().stream().filter(entry -> OUTCOMES.contains(entry.action())).count();

        softly.assertThat(outcomes).as("at most one outcome: %s", at).isLessThanOrEqualTo(1);
        if (now.state() == InstanceView.State.PENDING) {
            softly.assertThat(outcomes).as("pending has no outcome: %s", at).isZero();
            softly.assertThat(now.currentStep()).as("pending has a current step: %s", at).isNotNull();
            softly.assertThat(live).as("only the current step's tasks are live: %s", at)
                    .allMatch(task -> task.step() == now.currentStep());
            softly.assertThat(live).as("a pending request waits for somebody: %s", at)
                    .anyMatch(task -> task.state().equals("PENDING"));
            softly.assertThat(live).extracting(InstanceView.Task::approverId)
                    .as("one live task per approver: %s", at).doesNotHaveDuplicates();
        } else {
            softly.assertThat(live).as("a finished request has no live tasks: %s", at).isEmpty();
            softly.assertThat(now.currentStep()).as(at).isNull();
            softly.assertThat(now.completedAt()).as(at).isNotNull();
            String expected = switch (now.state()) {
                case APPROVED -> "COMPLETED_APPROVED";
                case REJECTED -> "COMPLETED_REJECTED";
                case WITHDRAWN -> "WITHDRAWN";
                case PENDING -> throw new IllegalStateException();
            };
            softly.assertThat(count(now, expected)).as("the outcome matches the state: %s", at).isEqualTo(1);
        }
        softly.assertThat(now.tasks()).as("the requester never has a task: %s", at)
                .noneMatch(task -> task.approverId().equals(requester.id()));
        softly.assertThat(now.timeline()).extracting(InstanceView.TimelineItem::position)
                .as("timeline positions are gapless: %s", at)
                .containsExactlyElementsOf(IntStream.range(0, now.timeline().size()).boxed().toList());
        softly.assertThat(jdbc.sql("SELECT count(*) FROM approval.timeline_entry WHERE instance_id = :id")
                .param("id", now.id()).query(Long.class).single()).as(at).isEqualTo(now.timeline().size());
        if (before != null) {
            softly.assertThat(now.timeline()).as("history is never rewritten: %s", at)
                    .startsWith(before.timeline().toArray(InstanceView.TimelineItem[]::new));
            Map<UUID, String> was = new HashMap<>();
            before.tasks().forEach(task -> was.put(task.id(), task.state()));
            softly.assertThat(now.tasks()).as("a closed task stays closed: %s", at)
                    .filteredOn(task -> TERMINAL_TASK_STATES.contains(was.getOrDefault(task.id(), "NEW")))
                    .allMatch(task -> task.state().equals(was.get(task.id())));
            softly.assertThat(now.tasks()).extracting(InstanceView.Task::id).as("tasks are never removed: %s", at)
                    .containsAll(was.keySet());
        }
        softly.assertAll();
    }

    // ----- random flows and commands --------------------------------------------------------------

    private List<FlowNode> randomFlow(Random random) {
        List<FlowNode> flow = new ArrayList<>();
        int approvalNodes = 1 + random.nextInt(4);
        for (int i = 0; i < approvalNodes; i++) {
            if (random.nextInt(5) == 0) {
                flow.add(FlowNode.cc("cc" + i, "CC " + i, ApproverRule.users(List.of(pick(random, staff).id())),
                        FlowNode.CcMoment.values()[random.nextInt(3)]));
            }
            List<TestUser> pool = new ArrayList<>(staff);
            if (random.nextInt(6) == 0) {
                pool.add(requester);
            }
            java.util.Collections.shuffle(pool, random);
            List<UUID> approvers = pool.subList(0, 1 + random.nextInt(3)).stream().map(TestUser::id).toList();
            flow.add(FlowNode.approval("n" + i, "Node " + i, ApproverRule.users(approvers),
                    Mode.values()[random.nextInt(Mode.values().length)]));
        }
        return flow;
    }

    record Command(Kind kind, String description, Integer step, Supplier<InstanceView> run) {
    }

    private Command randomCommand(Random random, InstanceView instance) {
        Kind kind = weighted(random);
        List<InstanceView.Task> pending = instance.tasks().stream().filter(task -> task.state().equals("PENDING"))
                .toList();
        // Mostly an approver acting on their own pending task, so requests move; sometimes
        // anybody on any task (or one that does not exist), which must be refused.
        InstanceView.Task task;
        TestUser actor;
        if (!pending.isEmpty() && random.nextInt(10) < 8) {
            task = pick(random, pending);
            actor = person(task.approverId());
        } else {
            task = instance.tasks().isEmpty() || random.nextInt(8) == 0 ? null : pick(random, instance.tasks());
            actor = pick(random, everyone);
        }
        UUID taskId = task == null ? UUID.randomUUID() : task.id();
        String by = name(actor);
        String on = task == null ? "an unknown task"
                : "task of " + name(person(task.approverId())) + " (" + task.state() + ", step " + task.step() + ")";
        return switch (kind) {
            case APPROVE -> new Command(kind, by + " approves " + on, null,
                    () -> approvals.approve(as(actor), taskId, random.nextBoolean() ? "fine" : null));
            case REJECT -> new Command(kind, by + " rejects " + on, null,
                    () -> approvals.reject(as(actor), taskId, "not now"));
            case WITHDRAW -> {
                TestUser who = random.nextInt(4) == 0 ? actor : requester;
                yield new Command(kind, name(who) + " withdraws", null,
                        () -> approvals.withdraw(as(who), instance.id()));
            }
            case TRANSFER -> {
                TestUser to = pick(random, everyone);
                yield new Command(kind, by + " transfers " + on + " to " + name(to), null,
                        () -> approvals.transfer(as(actor), taskId, to.id(), null));
            }
            case ADD_SIGN -> {
                TestUser added = pick(random, everyone);
                boolean before = random.nextBoolean();
                yield new Command(kind, by + " adds " + name(added) + (before ? " before" : " after") + " on " + on,
                        null, () -> approvals.addSign(as(actor), taskId, added.id(), before, null));
            }
            case RETURN -> {
                // Mostly a step before the task's own, sometimes one that cannot be returned to.
                int own = task == null ? 0 : task.step();
                int step = own > 0 && random.nextInt(4) > 0 ? random.nextInt(own) : random.nextInt(own + 3) - 1;
                yield new Command(kind, by + " returns " + on + " to step " + step, step,
                        () -> approvals.returnTo(as(actor), taskId, step, "again"));
            }
            case COMMENT -> {
                TestUser who = random.nextBoolean() ? requester : actor;
                List<UUID> mentions = random.nextInt(3) == 0 ? List.of(pick(random, everyone).id()) : List.of();
                yield new Command(kind, name(who) + " comments" + (mentions.isEmpty() ? "" : " with a mention"), null,
                        () -> approvals.comment(as(who), instance.id(), "a word", mentions));
            }
        };
    }

    private static Kind weighted(Random random) {
        int roll = random.nextInt(100);
        if (roll < 38) {
            return Kind.APPROVE;
        } else if (roll < 42) {
            return Kind.REJECT;
        } else if (roll < 45) {
            return Kind.WITHDRAW;
        } else if (roll < 58) {
            return Kind.TRANSFER;
        } else if (roll < 72) {
            return Kind.ADD_SIGN;
        } else if (roll < 90) {
            return Kind.RETURN;
        }
        return Kind.COMMENT;
    }

    private TestUser person(UUID id) {
        return everyone.stream().filter(user -> user.id().equals(id)).findFirst().orElseThrow();
    }

    private static String name(TestUser user) {
        return user.username().substring(0, user.username().indexOf('-'));
    }

    private static <T> T pick(Random random, List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private String describe(List<FlowNode> flow) {
        List<String> nodes = new ArrayList<>();
        for (FlowNode node : flow) {
            List<String> people = node.approvers().userIds().stream().map(id -> name(person(id))).toList();
            nodes.add(node.kind() == FlowNode.Kind.CC ? "CC" + people : node.mode() + people.toString());
        }
        return String.join(" → ", nodes);
    }
}
