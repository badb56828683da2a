package io.chorus.identity.internal;

import io.chorus.identity.BearerTokenAuthenticator;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Component;

/** The STOMP edge's way in: the same decoder and claim mapping as REST. */
@Component
class JwtBearerTokenAuthenticator implements BearerTokenAuthenticator {

    private final JwtDecoder decoder;
    private final KeycloakTokenConverter converter;

    JwtBearerTokenAuthenticator(JwtDecoder decoder, KeycloakTokenConverter converter) {
        this.decoder = decoder;
        this.converter = converter;
    }

    @Override
    public Authenticated authenticate(String bearerToken) {
        Jwt jwt;
        try {
            jwt = decoder.decode(bearerToken);
        } catch (IdentityProviderUnreachable | JwtDecoderInitializationException unreachable) {
            // Answered IDENTITY_PROVIDER_UNAVAILABLE: the token may be fine, the client should retry.
            throw new AuthenticationServiceException("The identity provider cannot be reached.", unreachable);
        } catch (JwtException invalid) {
            // The decoder's message can quote token content; callers get a fixed sentence.
            throw new BadCredentialsException("The bearer token is invalid or expired.", invalid);
        }
        // The decoder refuses a token without exp, so every session has an end.
        return new Authenticated(converter.convert(jwt), jwt.getExpiresAt());
    }
}
