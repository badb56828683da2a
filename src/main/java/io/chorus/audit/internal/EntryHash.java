package io.chorus.audit.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The hash of one entry: SHA-256 over its fields in a fixed order, each written as a 4-byte
 * big-endian length and its UTF-8 bytes (length -1 for null), times as epoch microseconds,
 * ending with the previous entry's hash. Length prefixes make the encoding unambiguous: no
 * choice of field values can make two different entries encode alike. docs/compliance.md
 * states the same recipe so an outside party can recompute it from an export.
 */
final class EntryHash {

    static final byte[] GENESIS = new byte[32];

    private EntryHash() {
    }

    /** The fields of a stored or about-to-be-stored entry, as hashed. */
    record Content(long seq, String eventKey, Instant occurredAt, Instant recordedAt, String actorType, UUID actorId,
            String action, String targetType, String targetId, UUID conversationId, UUID departmentId,
            String sourceIp, String sessionId, String detail, byte[] prevHash) {
    }

    static byte[] of(Content c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (c.detail() == null ? 0 : c.detail().length()));
        field(out, Long.toString(c.seq()));
        field(out, c.eventKey());
        field(out, micros(c.occurredAt()));
        field(out, micros(c.recordedAt()));
        field(out, c.actorType());
        field(out, c.actorId() == null ? null : c.actorId().toString());
        field(out, c.action());
        field(out, c.targetType());
        field(out, c.targetId());
        field(out, c.conversationId() == null ? null : c.conversationId().toString());
        field(out, c.departmentId() == null ? null : c.departmentId().toString());
        field(out, c.sourceIp());
        field(out, c.sessionId());
        field(out, c.detail());
        out.writeBytes(c.prevHash());
        return sha256(out.toByteArray());
    }

    static String hex(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }

    private static String micros(Instant at) {
        return Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, at));
    }

    private static void field(ByteArrayOutputStream out, String value) {
        if (value == null) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(-1).array());
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("Every JDK has SHA-256", impossible);
        }
    }
}
