package io.chorus.integration.internal;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Standard Webhooks signatures, both ways: HMAC-SHA256 over {@code id.timestamp.body} with a
 * {@code whsec_}-prefixed base64 secret, carried in {@code webhook-id}, {@code webhook-timestamp}
 * and {@code webhook-signature}. The spec's own library computes and compares (constant time);
 * this class adds what it leaves to us: fresh secrets, several valid secrets during a rotation,
 * and the timestamp window checked against our clock.
 */
public final class WebhookSignatures {

    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";

    /** How far a timestamp may be from our clock, either way, before a request is refused as stale. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignatures() {
    }

    /** A new secret: 32 random bytes, {@code whsec_} + base64, as Standard Webhooks writes them. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    /** The three headers that sign {@code body} as message {@code id} sent at {@code at}. */
    public static Map<String, String> headers(String secret, String id, Instant at, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ID, id);
        headers.put(TIMESTAMP, Long.toString(at.getEpochSecond()));
        headers.put(SIGNATURE, sign(secret, id, at.getEpochSecond(), body));
        return headers;
    }

    /** {@code v1,<base64 signature>}. */
    public static String sign(String secret, String id, long epochSeconds, byte[] body) {
        try {
            return new Webhook(secret).sign(id, epochSeconds, new String(body, StandardCharsets.UTF_8));
        } catch (WebhookSigningException e) {
            throw new IllegalStateException("Cannot sign with this secret", e);
        }
    }

    /** Why a signed request was refused. */
    public enum Refusal {
        MISSING_HEADERS, STALE_TIMESTAMP, BAD_SIGNATURE
    }

    /**
     * Checks a signed request against every secret valid now (the current one and, during a
     * rotation's overlap, the previous one).
     *
     * @return null when it is authentic and fresh, else why not
     */
    public static Refusal verify(Collection<String> secrets, String id, String timestamp, String signature,
            byte[] body, Instant now) {
        if (id == null || timestamp == null || signature == null || id.isBlank()) {
            return Refusal.MISSING_HEADERS;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Refusal.STALE_TIMESTAMP;
        }
        if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            return Refusal.STALE_TIMESTAMP;
        }
        // The window is judged by our clock (a test's, possibly), not the library's verify(), which reads the
        // system clock; the library computes the expected signature for each secret.
        String payload = new String(body, StandardCharsets.UTF_8);
        for (String secret : secrets) {
            try {
                String expected = new Webhook(secret).sign(id, seconds, payload);
                if (matches(signature, expected)) {
                    return null;
                }
            } catch (WebhookSigningException | IllegalArgumentException e) {
                // an unusable stored secret cannot sign anything: try the next
            }
        }
        return Refusal.BAD_SIGNATURE;
    }

    /** Any of the space-separated {@code v1,...} signatures equals the expected one, compared in constant time. */
    private static boolean matches(String offered, String expected) {
        boolean found = false;
        for (String candidate : offered.trim().split(" +")) {
            found |= MessageDigest.isEqual(candidate.getBytes(StandardCharsets.US_ASCII),
                    expected.getBytes(StandardCharsets.US_ASCII));
        }
        return found;
    }
}
