package io.chorus.approval;

import io.chorus.approval.internal.PlainText;
import io.chorus.approval.internal.RoleStore;
import io.chorus.identity.CurrentUser;
import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import io.chorus.identity.UserProfile;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Approval roles (角色): named groups such as "HR" or "Treasury" that a flow routes to, kept by
 * org_admins. Holders are resolved when a node is reached, so a change applies to requests
 * already running.
 */
@Service
public class ApprovalRoles {

    static final int MAX_HOLDERS = 200;

    private final RoleStore store;
    private final UserDirectory users;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ApprovalRoles(RoleStore store, UserDirectory users, ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.users = users;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public ApprovalRoleView create(CurrentUser admin, String name, List<UUID> holders) {
        Templates.requireOrgAdmin(admin);
        String valid = name(name);
        List<UUID> validHolders = holders(holders);
        UUID id = UUID.randomUUID();
        if (!store.create(id, valid, clock.instant())) {
            throw ChorusProblem.conflict(ApprovalProblems.ROLE_NAME_TAKEN, "Another approval role has this name.");
        }
        store.replaceHolders(id, validHolders);
        return changed(admin, id, false);
    }

    @Transactional
    public ApprovalRoleView update(CurrentUser admin, UUID id, String name, List<UUID> holders) {
        Templates.requireOrgAdmin(admin);
        String valid = name(name);
        List<UUID> validHolders = holders(holders);
        if (store.nameTakenByOther(id, valid)) {
            throw ChorusProblem.conflict(ApprovalProblems.ROLE_NAME_TAKEN, "Another approval role has this name.");
        }
        if (!store.rename(id, valid)) {
            throw notFound();
        }
        store.replaceHolders(id, validHolders);
        return changed(admin, id, false);
    }

    @Transactional
    public void delete(CurrentUser admin, UUID id) {
        Templates.requireOrgAdmin(admin);
        ApprovalRoleView role = store.find(id).orElseThrow(ApprovalRoles::notFound);
        store.delete(id);
        events.publishEvent(new ApprovalEvents.ApprovalRoleChanged(id, role.name(), List.of(), true, admin.id(),
                clock.instant()));
    }

    @Transactional(readOnly = true)
    public List<ApprovalRoleView> list() {
        return store.all();
    }

    @Transactional(readOnly = true)
    public ApprovalRoleView get(UUID id) {
        return store.find(id).orElseThrow(ApprovalRoles::notFound);
    }

    private ApprovalRoleView changed(CurrentUser admin, UUID id, boolean deleted) {
        ApprovalRoleView role = store.find(id).orElseThrow();
        Instant now = clock.instant();
        events.publishEvent(new ApprovalEvents.ApprovalRoleChanged(id, role.name(),
                role.holderIds().stream().map(UserId::of).toList(), deleted, admin.id(), now));
        return role;
    }

    private static String name(String name) {
        if (name == null || name.isBlank() || name.strip().length() > 100
                || !PlainText.singleLine(name)) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "name must be 1 to 100 characters without control characters.");
        }
        return name.strip();
    }

    private List<UUID> holders(List<UUID> holders) {
        List<UUID> distinct = holders == null ? List.of() : List.copyOf(new LinkedHashSet<>(holders));
        if (distinct.size() > MAX_HOLDERS) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "A role may have at most " + MAX_HOLDERS + " holders.");
        }
        Map<UserId, UserProfile> found = users.findAll(distinct.stream().map(UserId::of).toList());
        distinct.stream().filter(id -> found.get(UserId.of(id)) == null || found.get(UserId.of(id)).bot())
                .findFirst().ifPresent(id -> {
                    throw ChorusProblem.unprocessable(ApprovalProblems.INVALID_APPROVER, id + " is not an employee.");
                });
        return distinct;
    }

    private static ChorusProblem notFound() {
        return ChorusProblem.notFound(ApprovalProblems.ROLE_NOT_FOUND, "No such approval role.");
    }
}
