package io.chorus.search.internal;

import io.chorus.platform.PeriodicReading;
import io.chorus.search.internal.engine.SearchEngine;
import io.chorus.search.internal.indexing.IndexStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Search's meters (docs/operations.md, "Monitoring"): how long the engine takes to answer, and
 * the indexing backlog. The backlog is a query, so scrapes read it at most every 10 seconds.
 */
@Component
public class SearchMetrics {

    private static final Duration READ_EVERY = Duration.ofSeconds(10);

    private final Timer answered;
    private final Timer failed;

    SearchMetrics(MeterRegistry registry, SearchEngine engine, IndexStatus index, Clock clock) {
        answered = latency(registry, engine, "success");
        failed = latency(registry, engine, "error");
        PeriodicReading<IndexStatus.Backlog> backlog = new PeriodicReading<>(index::backlog, READ_EVERY);
        Gauge.builder("chorus.search.indexing.backlog", backlog, reading -> reading.number(IndexStatus.Backlog::size))
                .description("Messages waiting to be indexed").baseUnit("messages").register(registry);
        Gauge.builder("chorus.search.indexing.oldest.age", backlog, reading -> reading.number(waiting ->
                        waiting.oldest() == null ? 0 : Duration.between(waiting.oldest(), clock.instant()).toMillis() / 1000.0))
                .description("How long the oldest message waiting to be indexed has waited").baseUnit("seconds")
                .register(registry);
    }

    private static Timer latency(MeterRegistry registry, SearchEngine engine, String outcome) {
        return Timer.builder("chorus.search.latency").description("Search queries answered by the engine")
                .tag("engine", engine.name()).tag("outcome", outcome)
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
                        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10))
                .register(registry);
    }

    /** Records one engine query that started at {@code startedNanos} ({@link System#nanoTime()}). */
    public void searched(long startedNanos, boolean succeeded) {
        (succeeded ? answered : failed).record(Duration.ofNanos(System.nanoTime() - startedNanos));
    }
}
