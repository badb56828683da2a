package io.chorus.integration.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Standard Webhooks signatures both ways, against the test vector the spec's libraries share:
 * the server's clock is fixed at the vector's timestamp, so nothing here depends on today.
 */
class WebhookSignaturesTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final String TIMESTAMP = "1614265330";
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Instant NOW = Instant.ofEpochSecond(1614265330);

    @Test
    void signingTheSpecVectorGivesTheSpecSignature() {
        assertThat(WebhookSignatures.sign(SECRET, ID, 1614265330, BODY)).isEqualTo(SIGNATURE);
        assertThat(WebhookSignatures.headers(SECRET, ID, NOW, BODY)).containsEntry(WebhookSignatures.ID, ID)
                .containsEntry(WebhookSignatures.TIMESTAMP, TIMESTAMP)
                .containsEntry(WebhookSignatures.SIGNATURE, SIGNATURE);
    }

    @Test
    void theSpecVectorVerifies() {
        assertThat(WebhookSignatures.verify(List.of(SECRET), ID, TIMESTAMP, SIGNATURE, BODY, NOW)).isNull();
    }

    @Test
    void anySignatureOfSeveralMayMatchAndAnySecretOfSeveral() {
        String several = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= " + SIGNATURE;
        assertThat(WebhookSignatures.verify(List.of(WebhookSignatures.newSecret(), SECRET), ID, TIMESTAMP, several,
                BODY, NOW)).isNull();
    }

    @Test
    void aChangedBodyIdOrSecretDoesNotVerify() {
        assertThat(WebhookSignatures.verify(List.of(SECRET), ID, TIMESTAMP, SIGNATURE,
                "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8), NOW))
                .isEqualTo(WebhookSignatures.Refusal.BAD_SIGNATURE);
        assertThat(WebhookSignatures.verify(List.of(SECRET), "msg_other", TIMESTAMP, SIGNATURE, BODY, NOW))
                .isEqualTo(WebhookSignatures.Refusal.BAD_SIGNATURE);
        assertThat(WebhookSignatures.verify(List.of(WebhookSignatures.newSecret()), ID, TIMESTAMP, SIGNATURE, BODY,
                NOW)).isEqualTo(WebhookSignatures.Refusal.BAD_SIGNATURE);
    }

    @Test
    void aTimestampMoreThanFiveMinutesOffEitherWayIsStale() {
        Duration edge = WebhookSignatures.TOLERANCE;
        assertThat(WebhookSignatures.verify(List.of(SECRET), ID, TIMESTAMP, SIGNATURE, BODY, NOW.plus(edge))).isNull();
        assertThat(WebhookSignatures.verify(List.of(SECRET), ID, TIMESTAMP, SIGNATURE, BODY, NOW.minus(edge)))
                .isNull();
        assertThat(WebhookSignatures.verify(List.of(SECRET), ID, TIMESTAMP, SIGNATURE, BODY,
                NOW.plus(edge).plusSeconds(1))).isEqualTo(WebhookSignatures.Refusal.STALE_TIMESTAMP);
        assertThat(WebhookSignatures.verify(List.of(SECRET), ID, TIMESTAMP, SIGNATURE, BODY,
                NOW.minus(edge).minusSeconds(1))).isEqualTo(WebhookSignatures.Refusal.STALE_TIMESTAMP);
    }

    @Test
    void missingHeadersAreRefusedBeforeAnythingElse() {
        assertThat(WebhookSignatures.verify(List.of(SECRET), null, TIMESTAMP, SIGNATURE, BODY, NOW))
                .isEqualTo(WebhookSignatures.Refusal.MISSING_HEADERS);
        assertThat(WebhookSignatures.verify(List.of(SECRET), ID, null, SIGNATURE, BODY, NOW))
                .isEqualTo(WebhookSignatures.Refusal.MISSING_HEADERS);
        assertThat(WebhookSignatures.verify(List.of(SECRET), ID, TIMESTAMP, null, BODY, NOW))
                .isEqualTo(WebhookSignatures.Refusal.MISSING_HEADERS);
    }
}
