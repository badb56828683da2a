package io.chorus.integration.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Standard Webhooks signing against the spec's own test vector, and the retry schedule's bounds. */
class WebhookSignaturesTest {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long TIMESTAMP = 1614265330;
    static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void signsTheSpecificationsTestVector() {
        assertThat(WebhookSignatures.sign(SECRET, ID, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
        assertThat(WebhookSignatures.headers(SECRET, ID, Instant.ofEpochSecond(TIMESTAMP), BODY))
                .containsEntry(WebhookSignatures.ID, ID)
                .containsEntry(WebhookSignatures.TIMESTAMP, Long.toString(TIMESTAMP))
                .containsEntry(WebhookSignatures.SIGNATURE, SIGNATURE);
    }

    @Test
    void verifiesTheTestVectorWithinTheWindowOnly() {
        Instant sent = Instant.ofEpochSecond(TIMESTAMP);
        assertThat(WebhookSignatures.verify(List.of(SECRET), ID, Long.toString(TIMESTAMP), SIGNATURE, BODY,
                sent.plusSeconds(60))).isNull();
        // One of several space-separated signatures (a rotation's overlap) is enough.
        assertThat(WebhookSignatures.verify(List.of(SECRET), ID, Long.toString(TIMESTAMP),
                "v1,c29tZXRoaW5nIGVsc2U= " + SIGNATURE, BODY, sent)).isNull();
        assertThat(WebhookSignatures.verify(List.of(SECRET), ID, Long.toString(TIMESTAMP), SIGNATURE, BODY,
                sent.plus(Duration.ofMinutes(6)))).isEqualTo(WebhookSignatures.Refusal.STALE_TIMESTAMP);
        assertThat(WebhookSignatures.verify(List.of(SECRET), ID, Long.toString(TIMESTAMP), SIGNATURE,
                "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8), sent))
                .isEqualTo(WebhookSignatures.Refusal.BAD_SIGNATURE);
        assertThat(WebhookSignatures.verify(List.of(WebhookSignatures.newSecret()), ID, Long.toString(TIMESTAMP),
                SIGNATURE, BODY, sent)).isEqualTo(WebhookSignatures.Refusal.BAD_SIGNATURE);
    }

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
