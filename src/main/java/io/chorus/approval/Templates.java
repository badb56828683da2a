package io.chorus.approval;

import io.chorus.approval.internal.TemplateRules;
import io.chorus.approval.internal.TemplateStore;
import io.chorus.identity.CurrentUser;
import io.chorus.identity.Role;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Approval templates. Org_admins create them and publish new versions; an edit never changes a
 * request already running, which keeps the version it started on. Disabling stops new requests
 * only. Everyone may read enabled templates, to fill in their forms.
 */
@Service
public class Templates {

    private final TemplateStore store;
    private final TemplateRules check;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Templates(TemplateStore store, TemplateRules check, ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.check = check;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public TemplateView create(CurrentUser admin, TemplateDefinition definition) {
        requireOrgAdmin(admin);
        check.check(definition);
        Instant now = clock.instant();
        UUID id = store.create(definition, admin.id().value(), now);
        events.publishEvent(new ApprovalEvents.TemplatePublished(id, 1, definition.name().strip(),
                definition.category().strip(), admin.id(), now));
        return store.current(id).orElseThrow();
    }

    /** Publishes the definition as the template's next version. */
    @Transactional
    public TemplateView publish(CurrentUser admin, UUID id, TemplateDefinition definition) {
        requireOrgAdmin(admin);
        check.check(definition);
        Instant now = clock.instant();
        int version = store.publish(id, definition, admin.id().value(), now).orElseThrow(Templates::notFound);
        events.publishEvent(new ApprovalEvents.TemplatePublished(id, version, definition.name().strip(),
                definition.category().strip(), admin.id(), now));
        return store.current(id).orElseThrow();
    }

    @Transactional
    public TemplateView setEnabled(CurrentUser admin, UUID id, boolean enabled) {
        requireOrgAdmin(admin);
        TemplateView current = store.current(id).orElseThrow(Templates::notFound);
        if (current.enabled() != enabled) {
            Instant now = clock.instant();
            store.setEnabled(id, enabled, now);
            events.publishEvent(new ApprovalEvents.TemplateEnabledChanged(id, enabled, admin.id(), now));
        }
        return store.current(id).orElseThrow();
    }

    /** The current version; a disabled template only for org_admins. */
    @Transactional(readOnly = true)
    public TemplateView get(CurrentUser caller, UUID id) {
        return store.current(id).filter(template -> template.enabled() || caller.has(Role.ORG_ADMIN))
                .orElseThrow(Templates::notFound);
    }

    /**
     * One published version, e.g. the one a running request follows: readable even after the
     * template was disabled, so the requests still running on it can show their form.
     */
    @Transactional(readOnly = true)
    public TemplateView version(CurrentUser caller, UUID id, int version) {
        return store.version(id, version).orElseThrow(Templates::notFound);
    }

    @Transactional(readOnly = true)
    public List<TemplateView> list(CurrentUser caller, boolean includeDisabled) {
        if (includeDisabled) {
            requireOrgAdmin(caller);
        }
        return store.all(includeDisabled);
    }

    static void requireOrgAdmin(CurrentUser caller) {
        if (!caller.has(Role.ORG_ADMIN)) {
            throw ChorusProblem.forbidden(ProblemCodes.FORBIDDEN, "Only org_admins manage approval templates.");
        }
    }

    private static ChorusProblem notFound() {
        return ChorusProblem.notFound(ApprovalProblems.TEMPLATE_NOT_FOUND, "No such approval template.");
    }
}
