package io.chorus.identity.internal;

import org.springframework.security.oauth2.jwt.JwtException;

/**
 * A token could not be verified because the identity provider's keys could not be had (Keycloak
 * stopped, unreachable, or failing): not the caller's fault. REST answers it 503 and STOMP
 * with an ERROR frame, both {@code IDENTITY_PROVIDER_UNAVAILABLE}, never 401 or 500.
 */
final class IdentityProviderUnreachable extends JwtException {

    IdentityProviderUnreachable(Throwable cause) {
        super("The identity provider cannot be reached to verify the token.", cause);
    }
}
