package io.chorus.identity;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.time.Instant;

/**
 * What happens to user accounts, for modules that keep copies (the org directory) or sessions
 * (chat), and the security events the audit trail records.
 */
public final class IdentityEvents {

    private IdentityEvents() {
    }

    /**
     * An account was created, or its profile or active flag changed. Carries the whole new state
     * and its {@code version}, which grows with every change: a copy keeps the highest it saw.
     * {@code bot} marks a system account, which is no employee; publications stored before bots
     * existed lack the field and read as {@code false}, which they were (Jackson 3 would refuse
     * a missing primitive otherwise).
     */
    public record UserAccountChanged(UserId userId, String username, String displayName, String email,
            boolean active, long version, @JsonSetter(nulls = Nulls.AS_EMPTY) boolean bot) {
    }

    /** The account may no longer sign in: its live sessions end, its history stays. */
    public record UserDeactivated(UserId userId, long version) {
    }

    /** A deactivated account may sign in again. */
    public record UserReactivated(UserId userId, long version) {
    }

    /**
     * A session was seen for the first time (on this node): the user signed in. {@code sessionId}
     * is the identity provider's session (the token's {@code sid}), which every token refreshed
     * within it carries; null for a token without one, which is then announced once per token.
     * {@code remoteAddress} is null when the token arrived in a STOMP CONNECT (whose own event
     * carries the address).
     */
    public record SignedIn(UserId userId, String tokenId, String sessionId, String remoteAddress, Instant at) {
    }

    /** A request was refused with 403. {@code userId} is the caller. */
    public record AccessDenied(UserId userId, String method, String resource, String remoteAddress, Instant at) {
    }

    /** Local mode signed a dev token for a demo user. */
    public record DevTokenIssued(String username, String remoteAddress, Instant at) {
    }
}
