package io.chorus.identity.internal;

import io.chorus.platform.EdgeEvents;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chorus.identity.IdentityEvents;
import io.chorus.identity.UserId;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Notices the first use of each session, which is what a sign-in looks like to a resource server
 * (Keycloak, not Chorus, checks the password). Keycloak refreshes access tokens every few minutes
 * within one session and every token carries the session's {@code sid}, so a session is noticed
 * once however many tokens it uses; a token without {@code sid} counts as a session of its own.
 * Remembered per node for longer than sessions usually live, so each is announced once per node
 * (the audit trail keeps one entry per session across nodes); every later request costs one
 * cache look-up.
 */
@Component
class TokenSightings {

    private final Cache<String, Boolean> seen = Caffeine.newBuilder()
            .maximumSize(200_000)
            .expireAfterWrite(Duration.ofHours(12))
            .build();
    private final EdgeEvents events;
    private final Clock clock;

    TokenSightings(EdgeEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    void seen(Jwt jwt, UserId user) {
        String tokenId = tokenId(jwt);
        String sessionId = sessionId(jwt);
        if (seen.asMap().putIfAbsent(sessionId == null ? tokenId : "sid:" + sessionId, Boolean.TRUE) == null) {
            events.publish(new IdentityEvents.SignedIn(user, tokenId, sessionId, remoteAddress(), clock.instant()));
        }
    }

    /** Keycloak's session id: {@code sid}, or {@code session_state} in tokens of older versions. */
    private static String sessionId(Jwt jwt) {
        for (String claim : new String[] {"sid", "session_state"}) {
            String value = jwt.getClaimAsString(claim);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    /** The token's {@code jti}, or for a token without one a hash that identifies it but cannot be replayed. */
    private static String tokenId(Jwt jwt) {
        if (jwt.getId() != null && !jwt.getId().isBlank()) {
            return jwt.getId();
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(jwt.getTokenValue().getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The caller's address on a REST request; STOMP CONNECT has no request here. */
    static String remoteAddress() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            return request.getRemoteAddr();
        }
        return null;
    }
}
