package io.chorus.identity.internal;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;

/**
 * The management port ({@code management.server.port}), once its server has started: the one
 * place where Prometheus may scrape without a token. Operators keep that port inside the
 * cluster (the chart's NetworkPolicy and ServiceMonitor); the application port, which the
 * ingress exposes, still refuses {@code /actuator/prometheus} to anyone. Without a management
 * port of its own (local mode, the default), nothing matches and the metrics stay closed.
 */
@Component
class ManagementPort {

    /** Spring Boot's name for the management server's context. */
    private static final String NAMESPACE = "management";

    private volatile int port = -1;

    @EventListener
    void started(WebServerInitializedEvent event) {
        if (NAMESPACE.equals(event.getApplicationContext().getServerNamespace())) {
            port = event.getWebServer().getPort();
        }
    }

    /** {@code path} asked for on the management port. */
    RequestMatcher path(String path) {
        return request -> port > 0 && request.getLocalPort() == port && path.equals(pathOf(request));
    }

    private static String pathOf(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context.isEmpty() ? uri : uri.substring(context.length());
    }
}
