package io.chorus.platform.internal;

import io.chorus.platform.DatabaseUnavailable;
import io.chorus.platform.ProblemCodes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A request that fails because the database cannot be reached, where Spring MVC's problem
 * handling does not reach (Spring Security's filters look up the caller's account, the
 * idempotency filter its keys), is answered 503 {@code DATABASE_UNAVAILABLE} here. Left to the
 * servlet container, it would be a 500 and a stack trace in the log for every request while the
 * outage lasts; {@link DatabaseAvailability} has already logged the outage once.
 */
final class DatabaseOutage extends OncePerRequestFilter implements Ordered {

    /** Retry-After, in seconds: a restarting PostgreSQL is usually back within a few. */
    static final int RETRY_AFTER_SECONDS = 5;

    @Override
    public int getOrder() {
        // Around everything that may touch the database: Spring Security (-100) and what follows it;
        // inside RequestIds (+2), so the access log line has the 503 and the request id.
        return Ordered.HIGHEST_PRECEDENCE + 3;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | IOException | RuntimeException failure) {
            if (!DatabaseUnavailable.isCause(failure) || response.isCommitted()) {
                throw failure;
            }
            response.resetBuffer();
            response.setHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
            EdgeProblems.write(response, 503, ProblemCodes.DATABASE_UNAVAILABLE, DatabaseUnavailable.DETAIL);
        }
    }
}
