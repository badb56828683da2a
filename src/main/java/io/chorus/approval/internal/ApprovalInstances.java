package io.chorus.approval.internal;

import io.chorus.approval.ApprovalPage;
import io.chorus.approval.ApprovalProblems;
import io.chorus.approval.Approvals;
import io.chorus.approval.ApproverRule;
import io.chorus.approval.FlowNode;
import io.chorus.approval.InstanceQuery;
import io.chorus.approval.InstanceSummary;
import io.chorus.approval.InstanceView;
import io.chorus.approval.SubmitApproval;
import io.chorus.approval.TaskQuery;
import io.chorus.approval.TaskSummary;
import io.chorus.approval.TemplateView;
import io.chorus.identity.CurrentUser;
import io.chorus.identity.Role;
import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import io.chorus.identity.UserProfile;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ChorusProblem.FieldError;
import io.chorus.platform.ProblemCodes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The requests: every command loads the instance aggregate, lets it decide, and saves it in one
 * transaction. A command that loses a race with another on the same instance (optimistic lock)
 * runs again on the winner's state, where it either still makes sense or is refused with the
 * reason (the task was decided meanwhile, the request was withdrawn).
 */
@Service
class ApprovalInstances implements Approvals {

    static final int MAX_COMMENT_LENGTH = 2000;
    static final int MAX_MENTIONS = 20;

    private final InstanceRepository instances;
    private final TemplateStore templates;
    private final FormValidator forms;
    private final RouteBuilder routes;
    private final Routing routing;
    private final IdempotencyKeys idempotencyKeys;
    private final InstanceQueries queries;
    private final UserDirectory users;
    private final ApprovalProperties properties;
    private final JsonMapper json;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final RetryTemplate retry;

    ApprovalInstances(InstanceRepository instances, TemplateStore templates, FormValidator forms, RouteBuilder routes,
            Routing routing, IdempotencyKeys idempotencyKeys, InstanceQueries queries, UserDirectory users,
            ApprovalProperties properties, JsonMapper json, Clock clock, PlatformTransactionManager transactions) {
        this.instances = instances;
        this.templates = templates;
        this.forms = forms;
        this.routes = routes;
        this.routing = routing;
        this.idempotencyKeys = idempotencyKeys;
        this.queries = queries;
        this.users = users;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
        // A transaction of its own even when called from an event listener's: a lost race must
        // roll back this change only, so that it can run again.
        this.transactions = new TransactionTemplate(transactions);
        this.transactions.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
        // Conflicts are short (one instance, a few rows): retry at once, then with a little jitter.
        this.retry = new RetryTemplate(RetryPolicy.builder()
                .includes(OptimisticLockingFailureException.class, DataIntegrityViolationException.class)
                .maxRetries(8).delay(Duration.ofMillis(5)).jitter(Duration.ofMillis(5)).multiplier(1.5)
                .maxDelay(Duration.ofMillis(100)).build());
    }

    /** Signals that a concurrent request with the same Idempotency-Key committed first. */
    private static final class KeyRaced extends RuntimeException {
        KeyRaced() {
            super(null, null, false, false);
        }
    }

    // ----- submit ------------------------------------------------------------------------------

    @Override
    public Submitted submit(CurrentUser caller, SubmitApproval command, String idempotencyKey) {
        UUID requester = requester(caller, command);
        if (idempotencyKey != null) {
            IdempotencyKeys.checkFormat(idempotencyKey);
        }
        String hash = idempotencyKey == null ? null : idempotencyKeys.hash(command);
        try {
            return Objects.requireNonNull(transactions.execute(status -> {
                Instant now = clock.instant();
                if (idempotencyKey != null) {
                    Optional<UUID> earlier = idempotencyKeys.earlier(caller.id().value(), idempotencyKey, hash, now);
                    if (earlier.isPresent()) {
                        return new Submitted(view(load(earlier.get())), true);
                    }
                }
                ApprovalInstance instance = create(caller, requester, command, now);
                if (idempotencyKey != null
                        && !idempotencyKeys.remember(caller.id().value(), idempotencyKey, hash, instance.id(), now)) {
                    throw new KeyRaced();
                }
                return new Submitted(view(instance), false);
            }));
        } catch (KeyRaced raced) {
            UUID first = idempotencyKeys.earlier(caller.id().value(), idempotencyKey, hash, clock.instant())
                    .orElseThrow(() -> new IllegalStateException("Idempotency key raced but is not stored"));
            return new Submitted(get(caller, first), true);
        }
    }

    private UUID requester(CurrentUser caller, SubmitApproval command) {
        if (command.requesterId() == null || command.requesterId().equals(caller.id().value())) {
            return caller.id().value();
        }
        if (!caller.has(Role.INTEGRATION)) {
            throw ChorusProblem.forbidden(ApprovalProblems.ON_BEHALF_NOT_ALLOWED,
                    "Only integration accounts may submit on behalf of someone else.");
        }
        return command.requesterId();
    }

    private ApprovalInstance create(CurrentUser caller, UUID requester, SubmitApproval command, Instant now) {
        if (command.templateId() == null) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, "templateId is required.");
        }
        TemplateView template = templates.current(command.templateId()).orElseThrow(() ->
                ChorusProblem.notFound(ApprovalProblems.TEMPLATE_NOT_FOUND, "No such approval template."));
        if (!template.enabled()) {
            throw ChorusProblem.unprocessable(ApprovalProblems.TEMPLATE_DISABLED,
                    "This template is disabled: it takes no new requests.");
        }
        UserProfile requesterProfile = users.find(UserId.of(requester)).filter(UserProfile::active)
                .filter(profile -> !profile.bot()).orElseThrow(() -> ChorusProblem.unprocessable(
                        ApprovalProblems.INVALID_APPROVER, "The requester is not an active employee."));
        UUID resubmittedFrom = resubmission(caller, requester, command);
        JsonNode form = forms.validate(template.form(), command.form());
        Plan plan = routes.plan(template, form, UserId.of(requester));
        checkChosen(plan, command.chosenApprovers(), requester);
        ApprovalInstance instance = ApprovalInstance.submit(new ApprovalInstance.Draft(template.id(),
                template.version(), title(template, requesterProfile), requester, caller.id().value(),
                json.writeValueAsString(form), json.writeValueAsString(plan),
                json.writeValueAsString(command.chosenApprovers()), resubmittedFrom), plan, routing, now);
        return instances.saveAndFlush(instance);
    }

    private static String title(TemplateView template, UserProfile requester) {
        return PlainText.clip(template.name() + " · " + requester.displayName(), 200);
    }

    private UUID resubmission(CurrentUser caller, UUID requester, SubmitApproval command) {
        if (command.resubmitOf() == null) {
            return null;
        }
        ApprovalInstance earlier = instances.findById(command.resubmitOf())
                .filter(instance -> visible(caller, instance)).orElseThrow(ApprovalInstances::instanceNotFound);
        if (!earlier.requesterId().equals(requester)
                || !(earlier.state() == ApprovalInstance.State.REJECTED
                        || earlier.state() == ApprovalInstance.State.WITHDRAWN)
                || !earlier.templateId().equals(command.templateId())) {
            throw ChorusProblem.unprocessable(ApprovalProblems.NOT_RESUBMITTABLE, "Only your own rejected or"
                    + " withdrawn request can be resubmitted, with the same template.");
        }
        return earlier.id();
    }

    /** Every CHOSEN_BY_REQUESTER node on the route has its 1..max people; nothing else was chosen. */
    private void checkChosen(Plan plan, Map<String, List<UUID>> chosen, UUID requester) {
        List<FieldError> errors = new ArrayList<>();
        Set<String> expected = new LinkedHashSet<>();
        for (FlowNode node : plan.steps()) {
            if (node.approvers().type() != ApproverRule.Type.CHOSEN_BY_REQUESTER) {
                continue;
            }
            expected.add(node.id());
            List<UUID> people = chosen.getOrDefault(node.id(), List.of());
            int max = node.approvers().maxChosen() == null ? 10 : node.approvers().maxChosen();
            String at = "chosenApprovers." + node.id();
            if (people.isEmpty() || people.size() > max || new LinkedHashSet<>(people).size() != people.size()) {
                errors.add(new FieldError(at, "choose 1 to " + max + " different people."));
                continue;
            }
            Map<UserId, UserProfile> profiles = users.findAll(people.stream().map(UserId::of).toList());
            for (UUID person : people) {
                UserProfile profile = profiles.get(UserId.of(person));
                if (profile == null || !profile.active() || profile.bot()) {
                    errors.add(new FieldError(at, person + " is not an active employee."));
                } else if (person.equals(requester) && node.kind() == FlowNode.Kind.APPROVAL) {
                    errors.add(new FieldError(at, "you cannot approve your own request."));
                }
            }
        }
        chosen.keySet().stream().filter(node -> !expected.contains(node)).forEach(node ->
                errors.add(new FieldError("chosenApprovers." + node, "is not a node on this request's route"
                        + " where the requester chooses.")));
        if (!errors.isEmpty()) {
            throw ChorusProblem.invalidFields(ApprovalProblems.CHOSEN_APPROVERS_INVALID,
                    "The chosen approvers do not fit the template.", errors);
        }
    }

    // ----- commands on tasks and instances ------------------------------------------------------

    @Override
    public InstanceView approve(CurrentUser caller, UUID taskId, String comment) {
        String text = optionalText(comment, "comment");
        return onTask(caller, taskId, (instance, now) -> instance.approve(caller.id().value(), taskId, text, routing,
                now));
    }

    @Override
    public InstanceView reject(CurrentUser caller, UUID taskId, String reason) {
        String text = optionalText(reason, "reason");
        if (text == null) {
            throw ChorusProblem.badRequest(ApprovalProblems.REASON_REQUIRED, "A rejection needs a reason.");
        }
        return onTask(caller, taskId, (instance, now) -> instance.reject(caller.id().value(), taskId, text, routing,
                now));
    }

    @Override
    public InstanceView transfer(CurrentUser caller, UUID taskId, UUID to, String comment) {
        String text = optionalText(comment, "comment");
        requireEmployee(to, "to");
        return onTask(caller, taskId, (instance, now) -> instance.transfer(caller.id().value(), taskId, to, text, now));
    }

    @Override
    public InstanceView addSign(CurrentUser caller, UUID taskId, UUID added, boolean before, String comment) {
        String text = optionalText(comment, "comment");
        requireEmployee(added, "userId");
        return onTask(caller, taskId, (instance, now) -> instance.addSign(caller.id().value(), taskId, added, before,
                text, routing, now));
    }

    @Override
    public InstanceView returnTo(CurrentUser caller, UUID taskId, int step, String comment) {
        String text = optionalText(comment, "comment");
        return onTask(caller, taskId, (instance, now) -> instance.returnTo(caller.id().value(), taskId, step, text,
                routing, now));
    }

    @Override
    public InstanceView withdraw(CurrentUser caller, UUID instanceId) {
        return onInstance(caller, instanceId, (instance, now) -> instance.withdraw(caller.id().value(), now));
    }

    @Override
    public InstanceView comment(CurrentUser caller, UUID instanceId, String text, List<UUID> mentions) {
        String comment = optionalText(text, "text");
        if (comment == null) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, "text must not be blank.");
        }
        List<UUID> mentioned = mentions == null ? List.of() : List.copyOf(new LinkedHashSet<>(mentions));
        if (mentioned.size() > MAX_MENTIONS) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "A comment may mention at most " + MAX_MENTIONS + " people.");
        }
        mentioned.forEach(user -> requireEmployee(user, "mentions"));
        return onInstance(caller, instanceId, (instance, now) -> {
            // A mention lets someone see the request: only those responsible for it may widen its audience,
            // so a CC'd or mentioned reader cannot pass it on.
            if (!mentioned.isEmpty() && !caller.has(Role.ORG_ADMIN)
                    && !instance.requesterOrApprover(caller.id().value())) {
                throw ChorusProblem.forbidden(ProblemCodes.FORBIDDEN,
                        "Only the requester and the approvers may mention people on a request.");
            }
            instance.comment(caller.id().value(), comment, mentioned, now);
        });
    }

    @Override
    public InstanceView remind(CurrentUser caller, UUID instanceId) {
        return onInstance(caller, instanceId, (instance, now) -> instance.remind(caller.id().value(),
                properties.remindInterval(), now));
    }

    /** A step of the engine with the time it happens. */
    @FunctionalInterface
    interface Step {
        void apply(ApprovalInstance instance, Instant now);
    }

    private InstanceView onTask(CurrentUser caller, UUID taskId, Step step) {
        return inRetry(() -> {
            UUID instanceId = instances.instanceOfTask(taskId).orElseThrow(ApprovalInstance::taskNotFound);
            ApprovalInstance instance = load(instanceId);
            if (!visible(caller, instance)) {
                throw ApprovalInstance.taskNotFound();
            }
            step.apply(instance, clock.instant());
            return view(instances.saveAndFlush(instance));
        });
    }

    private InstanceView onInstance(CurrentUser caller, UUID instanceId, Step step) {
        return inRetry(() -> {
            ApprovalInstance instance = instances.findById(instanceId).filter(found -> visible(caller, found))
                    .orElseThrow(ApprovalInstances::instanceNotFound);
            attach(instance);
            step.apply(instance, clock.instant());
            return view(instances.saveAndFlush(instance));
        });
    }

    /** Runs {@code change} in a transaction of its own, again when it lost a race with another change. */
    <T> T inRetry(java.util.function.Supplier<T> change) {
        try {
            return retry.invoke(() -> transactions.execute(status -> change.get()));
        } catch (OptimisticLockingFailureException | DataIntegrityViolationException stillRacing) {
            throw new ChorusProblem(HttpStatus.CONFLICT, ApprovalProblems.CONCURRENT_CHANGE,
                    "The request changed while this change was made; reload it and try again.");
        }
    }

    /** Changes of Chorus's own: timers and deactivated approvers. No caller, no visibility check. */
    void system(UUID instanceId, Consumer<ApprovalInstance> change) {
        inRetry(() -> {
            ApprovalInstance instance = load(instanceId);
            change.accept(instance);
            instances.saveAndFlush(instance);
            return instance.id();
        });
    }

    // ----- reads --------------------------------------------------------------------------------

    @Override
    public InstanceView get(CurrentUser caller, UUID instanceId) {
        return transactions.execute(status -> instances.findById(instanceId).filter(found -> visible(caller, found))
                .map(found -> {
                    attach(found);
                    return view(found);
                })
                .orElseThrow(ApprovalInstances::instanceNotFound));
    }

    @Override
    public ApprovalPage<InstanceSummary> instances(CurrentUser caller, InstanceQuery query) {
        if (query.view() == InstanceQuery.View.ALL && !caller.has(Role.ORG_ADMIN)) {
            throw ChorusProblem.forbidden(ProblemCodes.FORBIDDEN, "Only org_admins may list every request.");
        }
        return queries.instances(caller.id().value(), query);
    }

    @Override
    public ApprovalPage<TaskSummary> tasks(CurrentUser caller, TaskQuery query) {
        return queries.tasks(caller.id().value(), query);
    }

    // ----- helpers ------------------------------------------------------------------------------

    ApprovalInstance load(UUID id) {
        ApprovalInstance instance = instances.findById(id).orElseThrow(ApprovalInstances::instanceNotFound);
        attach(instance);
        return instance;
    }

    private void attach(ApprovalInstance instance) {
        if (instance.plan() == null) {
            instance.attach(json.readValue(instance.route(), Plan.class));
        }
    }

    static boolean visible(CurrentUser caller, ApprovalInstance instance) {
        return caller.has(Role.ORG_ADMIN) || instance.involves(caller.id().value());
    }

    private void requireEmployee(UUID user, String field) {
        if (user == null) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, field + " is required.");
        }
        users.find(UserId.of(user)).filter(UserProfile::active).filter(profile -> !profile.bot())
                .orElseThrow(() -> ChorusProblem.unprocessable(ApprovalProblems.INVALID_APPROVER,
                        field + " is not an active employee."));
    }

    private static String optionalText(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String stripped = PlainText.lineFeeds(text).strip();
        if (stripped.length() > MAX_COMMENT_LENGTH) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    field + " may have at most " + MAX_COMMENT_LENGTH + " characters.");
        }
        if (!PlainText.multiLine(stripped)) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    field + " must not contain control characters.");
        }
        return stripped;
    }

    static ChorusProblem instanceNotFound() {
        return ChorusProblem.notFound(ApprovalProblems.INSTANCE_NOT_FOUND, "No such approval request.");
    }

    InstanceView view(ApprovalInstance instance) {
        List<InstanceView.Step> steps = new ArrayList<>();
        List<FlowNode> route = instance.plan().steps();
        for (int i = 0; i < route.size(); i++) {
            FlowNode node = route.get(i);
            steps.add(new InstanceView.Step(i, node.id(), node.name(), node.kind(), node.mode()));
        }
        return new InstanceView(instance.id(), instance.templateId(), instance.templateVersion(), instance.title(),
                instance.requesterId(), instance.submittedBy(), InstanceView.State.valueOf(instance.state().name()),
                json.readTree(instance.form()), steps, instance.currentStep(),
                instance.tasks().stream().map(task -> new InstanceView.Task(task.id(), task.step(),
                        task.approverId(), task.state().name(), task.origin().name(), task.addedBy(),
                        task.createdAt(), task.activatedAt(), task.decidedAt(), task.comment())).toList(),
                instance.timeline().stream().map(entry -> new InstanceView.TimelineItem(entry.position(), entry.at(),
                        entry.actorId(), entry.action(), entry.step(), entry.taskId(), entry.targetId(),
                        entry.comment(), entry.mentions())).toList(),
                instance.participants().stream().filter(p -> p.role() == Participant.Role.CC)
                        .map(Participant::userId).sorted().toList(),
                instance.resubmittedFrom(), instance.submittedAt(), instance.completedAt(), instance.version());
    }
}
