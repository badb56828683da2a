package io.chorus.identity;

import java.time.Instant;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Authenticates a raw bearer token for edges that are not HTTP requests (the STOMP CONNECT
 * frame). The returned authentication's principal is a {@link CurrentUser} and its name is
 * the user's id, which user destinations are addressed by.
 */
public interface BearerTokenAuthenticator {

    Authenticated authenticate(String bearerToken) throws AuthenticationException;

    /**
     * The caller, and the instant their token stops being valid: an edge that stays open (a
     * STOMP session) must not outlive it.
     */
    record Authenticated(Authentication authentication, Instant expiresAt) {
    }
}
