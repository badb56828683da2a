package io.chorus.integration.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The bearer secrets integrations are handed once (API tokens, incoming webhooks' URL secrets,
 * commands' response tokens) and how they are kept: 256 random bits in base64url (safe in a
 * header or a path segment), stored only as their SHA-256. Such a secret is random enough that a
 * slow hash would add nothing.
 */
final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** {@code prefix} followed by 43 characters: 32 random bytes, base64url without padding. */
    static String random(String prefix) {
        return prefix + base64Url(randomBytes(32));
    }

    static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What is stored of a secret, and what an offered one is compared by (in constant time). */
    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("Every JDK has SHA-256", impossible);
        }
    }
}
