package io.chorus.identity.internal;

import io.chorus.platform.ProblemCodes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * While Keycloak cannot be reached, Chorus cannot fetch the keys to verify tokens. That is not
 * the caller's fault: answer 503 with a stable code (clients retry) instead of a 500 or a
 * misleading 401. Chorus recovers by itself once the issuer answers again.
 */
class IdentityProviderOutage extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(IdentityProviderOutage.class);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (JwtDecoderInitializationException unreachable) {
            log.warn("Cannot reach the identity provider to verify tokens: {}", rootMessage(unreachable));
            SecurityConfiguration.writeProblem(response, HttpStatus.SERVICE_UNAVAILABLE,
                    ProblemCodes.IDENTITY_PROVIDER_UNAVAILABLE,
                    "Chorus cannot reach its identity provider right now; try again shortly.");
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
