package io.chorus.identity.internal;

import io.chorus.identity.CurrentUser;
import io.chorus.platform.LogContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.core.Ordered;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts the authenticated caller's user id in the logging context for the rest of the request
 * (controllers, modules, the access log). Runs just after Spring Security has checked the
 * token; the platform's request-id filter, which wraps every request, removes it at the end.
 */
@Component
class CallerInLogs extends OncePerRequestFilter implements Ordered {

    @Override
    public int getOrder() {
        return SecurityFilterProperties.DEFAULT_FILTER_ORDER + 1;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (caller != null && caller.getPrincipal() instanceof CurrentUser user) {
            MDC.put(LogContext.USER_ID, user.id().value().toString());
        }
        chain.doFilter(request, response);
    }
}
