package io.chorus.platform.internal;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code Idempotency-Key} on the integration API's creating POSTs: how long a key and its result
 * are remembered (integrators are promised at least a day, so a retry queue drained the next
 * morning is still safe), how long a duplicate waits for the first request to finish, when an
 * unfinished claim counts as abandoned by a node that died, and how large a body may be kept.
 */
@Validated
@ConfigurationProperties("chorus.platform.idempotency")
record IdempotencyProperties(
        /** How long a key and its result are remembered, from the first request; at least 24 h. */
        @DefaultValue("24h") Duration ttl,
        /** How long a request waits for a concurrent one with the same key and body before answering 409. */
        @DefaultValue("10s") Duration waitForConcurrent,
        /** A claim unfinished after this long was left by a node that died; a retry may take it over. */
        @DefaultValue("5m") Duration staleAfter,
        /** The largest request body accepted with a key, and the largest response body remembered. */
        @DefaultValue("1MB") DataSize maxBodySize,
        /** The pause between runs of the job that deletes expired keys. */
        @DefaultValue("10m") Duration cleanupInterval,
        /** Expired keys deleted per statement, so one run never holds a long lock or a huge transaction. */
        @Min(1) @Max(100_000) @DefaultValue("1000") int cleanupBatchSize) {

    @AssertTrue(message = "ttl must be at least 24h: integrators are promised that a key lives a day")
    public boolean isTtlAtLeastADay() {
        return ttl.compareTo(Duration.ofHours(24)) >= 0;
    }

    @AssertTrue(message = "stale-after must be longer than wait-for-concurrent, and both positive")
    public boolean isStaleAfterTheWait() {
        return waitForConcurrent.isPositive() && staleAfter.compareTo(waitForConcurrent) > 0;
    }

    @AssertTrue(message = "max-body-size must be between 1KB and 16MB")
    public boolean isBodySizeSensible() {
        return maxBodySize.toBytes() >= 1024 && maxBodySize.toBytes() <= 16L * 1024 * 1024;
    }
}
