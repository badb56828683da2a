package io.chorus.integration.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The retry schedule of webhook deliveries: doubling waits, jittered, summing to about a day. */
class BackoffTest {

    @Test
    void retriesSpreadOverAboutADay() {
        Backoff backoff = new Backoff(Duration.ofMinutes(5), Duration.ofHours(10));
        assertThat(backoff.nominal(1)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.nominal(2)).isEqualTo(Duration.ofMinutes(10));
        assertThat(backoff.nominal(9)).isEqualTo(Duration.ofHours(10));
        RandomGenerator random = RandomGenerator.getDefault();
        for (int run = 0; run < 100; run++) {
            Duration total = Duration.ZERO;
            for (int attempt = 1; attempt < 10; attempt++) {
                Duration wait = backoff.after(attempt, random);
                assertThat(wait).isBetween(backoff.nominal(attempt).dividedBy(2), backoff.nominal(attempt));
                total = total.plus(wait);
            }
            // Ten attempts: nine waits between them.
            assertThat(total).isBetween(Duration.ofHours(15), Duration.ofHours(31));
        }
    }
}
