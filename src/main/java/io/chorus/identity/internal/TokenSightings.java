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
 * Notices the first use of each token, which is what a sign-in looks like to a resource server
 * (Keycloak, not Chorus, checks the password). Remembered per node for longer than tokens live,
 * so each token is recorded once per node; every later request costs one cache look-up.
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
        if (seen.asMap().putIfAbsent(tokenId, Boolean.TRUE) == null) {
            events.publish(new IdentityEvents.SignedIn(user, tokenId, remoteAddress(), clock.instant()));
        }
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
