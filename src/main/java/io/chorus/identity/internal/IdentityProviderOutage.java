package io.chorus.identity.internal;

import io.chorus.platform.ProblemCodes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * While Keycloak cannot be reached, Chorus cannot fetch the keys to verify tokens. That is not
 * the caller's fault: answer 503 with a stable code (clients retry) instead of a 500 or a
 * misleading 401. Spring Security lets such a failure out of its bearer token filter (an
 * authentication service failure, unlike a bad token); it is caught here, before the servlet
 * container would log a stack trace for every request. The outage itself is logged once, by
 * {@link IdentityProviderReachability}, and Chorus recovers by itself once the issuer answers.
 */
class IdentityProviderOutage extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (RuntimeException failure) {
            if (!unreachable(failure) || response.isCommitted()) {
                throw failure;
            }
            SecurityConfiguration.writeProblem(response, HttpStatus.SERVICE_UNAVAILABLE,
                    ProblemCodes.IDENTITY_PROVIDER_UNAVAILABLE,
                    "Chorus cannot reach its identity provider right now; try again shortly.");
        }
    }

    private static boolean unreachable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IdentityProviderUnreachable) {
                return true;
            }
        }
        return false;
    }
}
