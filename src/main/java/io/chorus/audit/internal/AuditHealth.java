package io.chorus.audit.internal;

import io.chorus.platform.DatabaseUnavailable;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code audit} health component: DOWN, with the cause, while entries wait to be chained
 * longer than {@code chorus.audit.chain-lag-limit} or the chain writer's last attempt failed (a
 * role that may not lock {@code audit.chain_head}, a lock held elsewhere). The entries are
 * safe in {@code audit.pending_entry} meanwhile; what is down is the trail's growth. Like
 * search, it is left out of the probes: chat goes on while the trail catches up.
 */
@Component("audit")
class AuditHealth implements HealthIndicator {

    /** Counting stops here: the figure says "at least", and health stays cheap on a large backlog. */
    private static final int COUNT_LIMIT = 10_000;

    private final JdbcClient jdbc;
    private final ChainWriter writer;
    private final AuditProperties properties;
    private final Clock clock;

    AuditHealth(JdbcClient jdbc, ChainWriter writer, AuditProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.writer = writer;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public Health health() {
        try {
            return measured();
        } catch (RuntimeException failure) {
            // Health must answer (DOWN, with the cause), never fail with a 500.
            Throwable root = NestedExceptionUtils.getMostSpecificCause(failure);
            return Health.down().withDetail("cause", (DatabaseUnavailable.isCause(failure)
                    ? "The database cannot be reached: " : "The audit backlog cannot be read: ")
                    + root.getClass().getSimpleName()).build();
        }
    }

    private Health measured() {
        Timestamp oldest = jdbc.sql("SELECT min(occurred_at) FROM audit.pending_entry")
                .query((row, number) -> Optional.ofNullable(row.getTimestamp(1))).single().orElse(null);
        long waiting = jdbc.sql("SELECT count(*) FROM (SELECT 1 FROM audit.pending_entry LIMIT " + COUNT_LIMIT + ") w")
                .query(Long.class).single();
        Instant now = clock.instant();
        Duration lag = oldest == null ? Duration.ZERO : Duration.between(oldest.toInstant(), now);
        var failure = writer.failure();
        boolean behind = lag.compareTo(properties.chainLagLimit()) > 0;
        Health.Builder health = failure.isPresent() || behind ? Health.down() : Health.up();
        health.withDetail("waiting", waiting >= COUNT_LIMIT ? COUNT_LIMIT + "+" : waiting)
                .withDetail("lag", lag.isNegative() ? Duration.ZERO.toString() : lag.toString());
        failure.ifPresent(why -> health.withDetail("lastFailure", why.cause()).withDetail("failedAt", why.at().toString()));
        if (behind && failure.isEmpty()) {
            health.withDetail("cause", "Entries wait to be chained longer than " + properties.chainLagLimit()
                    + ": the chain writer is blocked (a lock on audit.chain_head?) or not running.");
        }
        return health.build();
    }
}
