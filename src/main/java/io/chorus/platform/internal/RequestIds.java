package io.chorus.platform.internal;

import io.chorus.platform.LogContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every HTTP request an id: the caller's {@code X-Request-Id} when it is a plausible one,
 * else a new one. The id is echoed in the response and sits in the logging context while the
 * request is handled, so each line it logs can be found again; the identity module adds the
 * caller's user id once the token is checked ({@link LogContext#USER_ID}), and both are
 * removed here when the request is done. With the access log on, the request's line is written
 * here too: method, path (never the query string, which may carry a secret; the secret segments
 * of incoming-webhook and command-response paths are masked), status and duration.
 *
 * <p>Ordered just inside Spring's observation filter, so the trace id is in the context as well.
 */
@Component
class RequestIds extends OncePerRequestFilter implements Ordered {

    static final String HEADER = "X-Request-Id";
    private static final Pattern PLAUSIBLE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Logger access = LoggerFactory.getLogger("io.chorus.access");

    private final boolean accessLog;

    RequestIds(AccessLogProperties properties) {
        this.accessLog = properties.enabled();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 2;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader(HEADER);
        String requestId = given != null && PLAUSIBLE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        response.setHeader(HEADER, requestId);
        MDC.put(LogContext.REQUEST_ID, requestId);
        long started = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            if (accessLog) {
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                String path = shownPath(request.getRequestURI());
                access.atInfo().addKeyValue("method", request.getMethod()).addKeyValue("path", path)
                        .addKeyValue("status", response.getStatus()).addKeyValue("durationMs", millis)
                        .log("{} {} {} {}ms", request.getMethod(), path, response.getStatus(), millis);
            }
            MDC.remove(LogContext.REQUEST_ID);
            MDC.remove(LogContext.USER_ID);
        }
    }

    /** The path as logged: the bearer secrets some paths carry are masked. */
    static String shownPath(String path) {
        if (path.startsWith("/api/v1/command-responses/")) {
            return "/api/v1/command-responses/***";
        }
        if (path.startsWith("/api/v1/hooks/")) {
            // Keep the hook's id (the first segment); a second segment is its secret.
            int idEnd = path.indexOf('/', "/api/v1/hooks/".length());
            return idEnd < 0 ? path : path.substring(0, idEnd) + "/***";
        }
        return path;
    }
}
