package io.chorus.identity;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Authenticates a raw bearer token for edges that are not HTTP requests (the STOMP CONNECT
 * frame). The returned authentication's principal is a {@link CurrentUser} and its name is
 * the user's id, which user destinations are addressed by.
 */
public interface BearerTokenAuthenticator {

    Authentication authenticate(String bearerToken) throws AuthenticationException;
}
