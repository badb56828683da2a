package io.chorus.audit.internal;

import io.chorus.platform.PeriodicReading;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The audit chain's lag as gauges (docs/operations.md, "Monitoring"): entries recorded but not
 * yet chained, and how long the oldest has waited. Normally both stay near zero (the chain
 * writer drains within milliseconds); a rising age is the early sign of what the {@code audit}
 * health component reports DOWN past {@code chain-lag-limit}. Read at most every 10 seconds,
 * with the count capped like health's, so a large backlog never makes scrapes expensive.
 */
@Component
class AuditMetrics {

    private static final Duration READ_EVERY = Duration.ofSeconds(10);
    static final int COUNT_LIMIT = 100_000;

    private record Lag(long waiting, Timestamp oldest) {
    }

    AuditMetrics(MeterRegistry registry, JdbcClient jdbc, Clock clock) {
        PeriodicReading<Lag> lag = new PeriodicReading<>(() -> jdbc.sql("""
                SELECT (SELECT count(*) FROM (SELECT 1 FROM audit.pending_entry LIMIT %d) w),
                       (SELECT min(occurred_at) FROM audit.pending_entry)
                """.formatted(COUNT_LIMIT)).query((row, number) -> new Lag(row.getLong(1), row.getTimestamp(2))).single(),
                READ_EVERY);
        Gauge.builder("chorus.audit.chain.pending", lag, reading -> reading.number(Lag::waiting))
                .description("Audit entries recorded but not yet chained (counting stops at " + COUNT_LIMIT + ")")
                .baseUnit("entries").register(registry);
        Gauge.builder("chorus.audit.chain.oldest.age", lag, reading -> reading.number(waiting -> waiting.oldest() == null
                        ? 0 : Math.max(0, Duration.between(waiting.oldest().toInstant(), clock.instant()).toMillis()) / 1000.0))
                .description("How long the oldest audit entry not yet chained has waited").baseUnit("seconds")
                .register(registry);
    }
}
