package io.chorus.audit.internal;

import io.chorus.audit.Checkpoint;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Signed checkpoints of the chain head, append-only like the entries. */
@Repository
public class CheckpointStore {

    private static final String COLUMNS = "id, seq, hash, signed_at, payload, key_id, public_key, signature, "
            + "key_origin";

    private final JdbcClient jdbc;

    CheckpointStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Which key signed a checkpoint: one an operator configured, or one generated at start because
     * none was (it proves nothing once the process is gone). Null for checkpoints signed before
     * Chorus recorded it.
     */
    public enum KeyOrigin {
        CONFIGURED, GENERATED
    }

    public record Stored(long id, long seq, byte[] hash, Instant signedAt, String payload, String keyId, byte[] publicKey,
            byte[] signature, KeyOrigin keyOrigin) {

        public Checkpoint view() {
            Base64.Encoder base64 = Base64.getEncoder();
            return new Checkpoint(id, seq, EntryHash.hex(hash), signedAt, payload, keyId,
                    base64.encodeToString(publicKey), base64.encodeToString(signature),
                    keyOrigin == null ? null : keyOrigin.name());
        }
    }

    Stored insert(long seq, byte[] hash, Instant signedAt, String payload, String keyId, byte[] publicKey,
            byte[] signature, KeyOrigin keyOrigin) {
        long id = jdbc.sql("""
                INSERT INTO audit.checkpoint (seq, hash, signed_at, payload, key_id, public_key, signature, key_origin)
                VALUES (:seq, :hash, :at, :payload, :key, :public, :signature, :origin) RETURNING id
                """)
                .param("seq", seq).param("hash", hash).param("at", Timestamp.from(signedAt))
                .param("payload", payload).param("key", keyId).param("public", publicKey)
                .param("signature", signature).param("origin", keyOrigin.name())
                .query(Long.class).single();
        return new Stored(id, seq, hash, signedAt, payload, keyId, publicKey, signature, keyOrigin);
    }

    Optional<Stored> latest() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM audit.checkpoint ORDER BY id DESC LIMIT 1")
                .query(CheckpointStore::row).optional();
    }

    List<Stored> inRange(long fromSeq, long toSeq) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM audit.checkpoint WHERE seq BETWEEN :from AND :to ORDER BY id")
                .param("from", fromSeq).param("to", toSeq)
                .query(CheckpointStore::row).list();
    }

    public List<Stored> after(long afterId, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM audit.checkpoint WHERE id > :after ORDER BY id LIMIT :n")
                .param("after", afterId).param("n", limit)
                .query(CheckpointStore::row).list();
    }

    private static Stored row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Stored(rs.getLong("id"), rs.getLong("seq"), rs.getBytes("hash"),
                rs.getTimestamp("signed_at").toInstant(), rs.getString("payload"), rs.getString("key_id"),
                rs.getBytes("public_key"), rs.getBytes("signature"),
                rs.getString("key_origin") == null ? null : KeyOrigin.valueOf(rs.getString("key_origin")));
    }
}
