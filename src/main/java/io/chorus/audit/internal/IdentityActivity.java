package io.chorus.audit.internal;

import io.chorus.identity.IdentityEvents;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Accounts and security events (sign-ins, refusals, dev tokens), as audit entries. Sign-ins are
 * one per session and refusals go through {@link RepeatedRefusals}: neither may flood the trail.
 */
@Component
class IdentityActivity {

    private static final String USER = "USER";

    private final ActivityLog log;
    private final RepeatedRefusals refusals;

    IdentityActivity(ActivityLog log, RepeatedRefusals refusals) {
        this.log = log;
        this.refusals = refusals;
    }

    @ApplicationModuleListener
    void on(IdentityEvents.UserAccountChanged e) {
        log.record(Activity.of("identity.account_changed", e).by((java.util.UUID) null)
                .target(USER, e.userId().value()).detail("username", e.username())
                .detail("displayName", e.displayName()).detail("active", e.active()).detail("version", e.version()));
    }

    @ApplicationModuleListener
    void on(IdentityEvents.UserDeactivated e) {
        log.record(Activity.of("identity.user_deactivated", e).by((java.util.UUID) null)
                .target(USER, e.userId().value()).detail("version", e.version()));
    }

    @ApplicationModuleListener
    void on(IdentityEvents.UserReactivated e) {
        log.record(Activity.of("identity.user_reactivated", e).by((java.util.UUID) null)
                .target(USER, e.userId().value()).detail("version", e.version()));
    }

    /**
     * One entry per session, whichever node saw it first and however many tokens it used; a token
     * without a session counts once per user and UTC day. The key makes every further sighting a
     * no-op.
     */
    @ApplicationModuleListener
    void on(IdentityEvents.SignedIn e) {
        String signIn = e.sessionId() != null ? "sid:" + e.sessionId()
                : "day:" + e.userId().value() + ":" + LocalDate.ofInstant(e.at(), ZoneOffset.UTC);
        log.record(Activity.of("security.signed_in", "security.signed_in:" + signIn).at(e.at()).by(e.userId())
                .target(USER, e.userId().value()).from(e.remoteAddress(), e.sessionId())
                .detail("tokenId", e.tokenId()));
    }

    @ApplicationModuleListener
    void on(IdentityEvents.AccessDenied e) {
        refusals.refused(Activity.of("security.access_denied", e).at(e.at()).by(e.userId())
                .target("RESOURCE", e.method() + " " + e.resource()).from(e.remoteAddress(), null));
    }

    @ApplicationModuleListener
    void on(IdentityEvents.DevTokenIssued e) {
        log.record(Activity.of("security.dev_token_issued", e).at(e.at()).by((java.util.UUID) null)
                .target("USERNAME", e.username()).from(e.remoteAddress(), null));
    }
}
