package io.chorus.audit.internal;

import io.chorus.identity.IdentityEvents;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** Accounts and security events (sign-ins, refusals, dev tokens), as audit entries. */
@Component
class IdentityActivity {

    private static final String USER = "USER";

    private final ActivityLog log;

    IdentityActivity(ActivityLog log) {
        this.log = log;
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

    @ApplicationModuleListener
    void on(IdentityEvents.SignedIn e) {
        log.record(Activity.of("security.signed_in", e).at(e.at()).by(e.userId()).target(USER, e.userId().value())
                .from(e.remoteAddress(), null).detail("tokenId", e.tokenId()));
    }

    @ApplicationModuleListener
    void on(IdentityEvents.AccessDenied e) {
        log.record(Activity.of("security.access_denied", e).at(e.at()).by(e.userId())
                .target("RESOURCE", e.method() + " " + e.resource()).from(e.remoteAddress(), null));
    }

    @ApplicationModuleListener
    void on(IdentityEvents.DevTokenIssued e) {
        log.record(Activity.of("security.dev_token_issued", e).at(e.at()).by((java.util.UUID) null)
                .target("USERNAME", e.username()).from(e.remoteAddress(), null));
    }
}
