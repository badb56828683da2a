package io.chorus.identity.internal;

import io.chorus.identity.ApiTokens;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Authenticates a bearer token that an {@link ApiTokens} issuer recognises by its prefix. The
 * holder's token id rides along as the authentication's details, for rate limits and audit.
 */
final class ApiTokenAuthentication implements AuthenticationProvider {

    private final ApiTokens tokens;

    ApiTokenAuthentication(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String token = ((BearerTokenAuthenticationToken) authentication).getToken();
        ApiTokens.Holder holder = tokens.holder(token).orElseThrow(() -> new InvalidBearerTokenException(
                "The API token is unknown, expired or revoked, or its bot is disabled."));
        ChorusAuthentication authenticated = new ChorusAuthentication(holder.caller(), holder.scopes());
        authenticated.setDetails(holder.tokenId());
        return authenticated;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
