package io.chorus.search.internal;

import io.chorus.platform.DatabaseUnavailable;
import io.chorus.search.MessageSearch;
import io.chorus.search.SearchStatus;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;

/**
 * The {@code search} health component: the engine, whether it answers, and the indexing
 * backlog. An unreachable engine is DOWN here, but only here: the liveness and readiness
 * probes leave search out, because chat goes on working and the backlog waits.
 */
@Component("search")
class SearchHealth implements HealthIndicator {

    private final MessageSearch search;

    SearchHealth(MessageSearch search) {
        this.search = search;
    }

    @Override
    public Health health() {
        SearchStatus status;
        try {
            status = search.status();
        } catch (RuntimeException failure) {
            // The backlog lives in the database, the status in the engine; with either down, health
            // must still answer (DOWN, with the cause), never fail with a 500.
            return Health.down().withDetail("cause", cause(failure)).build();
        }
        Health.Builder health = status.reachable() ? Health.up() : Health.down();
        health.withDetail("engine", status.engine()).withDetail("backlog", status.backlog());
        if (status.oldestPending() != null) {
            health.withDetail("oldestPending", status.oldestPending().toString());
        }
        return health.withDetail("rebuild", status.rebuild().state().name()).build();
    }

    private static String cause(RuntimeException failure) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(failure);
        return (DatabaseUnavailable.isCause(failure) ? "The database cannot be reached: "
                : "The search status cannot be read: ") + root.getClass().getSimpleName();
    }
}
