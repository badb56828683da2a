package io.chorus.audit;

import java.time.Instant;

/**
 * A signed statement of the chain head. Anyone with {@code publicKey} (base64 X.509 DER of an
 * Ed25519 key) verifies {@code signature} (base64) over the UTF-8 bytes of {@code payload}.
 * {@code keyOrigin}: {@code CONFIGURED} (the operator's key), {@code GENERATED} (none was configured:
 * a key made at start, which proves nothing later) or null (signed before Chorus recorded it).
 */
public record Checkpoint(long id, long seq, String hash, Instant signedAt, String payload, String keyId,
        String publicKey, String signature, String keyOrigin) {
}
