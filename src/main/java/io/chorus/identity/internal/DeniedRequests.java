package io.chorus.identity.internal;

import io.chorus.platform.EdgeEvents;

import io.chorus.identity.CurrentUser;
import io.chorus.identity.IdentityEvents;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Records every REST request answered 403, whoever refused it: a role check in Spring Security,
 * a {@code @PreAuthorize}, or a module's own rule (not a member, not the author). Sits inside
 * the security chain around exception translation, so the caller is still known afterwards.
 */
class DeniedRequests extends OncePerRequestFilter {

    private final EdgeEvents events;
    private final Clock clock;

    DeniedRequests(EdgeEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, response);
        if (response.getStatus() == HttpServletResponse.SC_FORBIDDEN) {
            Authentication caller = SecurityContextHolder.getContext().getAuthentication();
            CurrentUser user = caller != null && caller.getPrincipal() instanceof CurrentUser known ? known : null;
            events.publish(new IdentityEvents.AccessDenied(user == null ? null : user.id(), request.getMethod(),
                    request.getRequestURI(), request.getRemoteAddr(), clock.instant()));
        }
    }
}
