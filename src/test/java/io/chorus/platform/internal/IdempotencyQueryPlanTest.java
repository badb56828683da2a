package io.chorus.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every creating POST with an Idempotency-Key looks its key up, and the expiry job deletes by age:
 * with a day's worth of keys (statistics analysed) neither scans the whole table.
 */
@ChorusIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdempotencyQueryPlanTest {

    private static final int KEYS = 100_000;

    @Autowired
    JdbcClient jdbc;

    private final Instant now = Instant.now();

    @BeforeAll
    void loadADayOfKeys() {
        // Keys spread evenly over the last 24 hours (100,000 keys, one every 864 ms), from 500 callers.
        jdbc.sql("""
                INSERT INTO platform.idempotent_request (caller, key, fingerprint, state, claim_id, created_at,
                                                         status, content_type, body)
                SELECT 'plan-caller-' || (g % 500), 'plan-key-' || g, md5(g::text), 'COMPLETED', gen_random_uuid(),
                       CAST(:now AS timestamptz) - g * interval '864 milliseconds', 201, 'application/json', '\\x7b7d'::bytea
                FROM generate_series(1, :n) g
                """).param("now", Timestamp.from(now)).param("n", KEYS).update();
        jdbc.sql("ANALYZE platform.idempotent_request").update();
    }

    @AfterAll
    void removeThem() {
        jdbc.sql("DELETE FROM platform.idempotent_request WHERE caller LIKE 'plan-caller-%'").update();
    }

    @Test
    void aKeyIsFoundThroughThePrimaryKey() {
        String plan = explain(IdempotentRequests.FIND, Map.of("caller", "plan-caller-7", "key", "plan-key-4007",
                "expiry", Timestamp.from(now.minus(Duration.ofHours(24)))));
        assertThat(plan).contains("idempotent_request_pkey").doesNotContain("Seq Scan");
    }

    @Test
    void theExpiryJobFindsExpiredKeysThroughTheAgeIndex() {
        // Ten minutes after the last run: only the oldest few keys have expired.
        String plan = explain(IdempotentRequests.DELETE_EXPIRED,
                Map.of("expiry", Timestamp.from(now.minus(Duration.ofHours(23).plusMinutes(50))), "batch", 1000));
        assertThat(plan).contains("idempotent_request_by_age").doesNotContain("Seq Scan");
    }

    private String explain(String sql, Map<String, ?> params) {
        return String.join("\n", jdbc.sql("EXPLAIN " + sql).params(params).query(String.class).list());
    }
}
