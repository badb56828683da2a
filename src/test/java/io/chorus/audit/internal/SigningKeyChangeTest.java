package io.chorus.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.audit.AuditTrail;
import io.chorus.audit.ChainVerification;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.DatabaseSuperuser;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * Adding a signing key after running without one, and rotating it, is not tampering. Each test
 * plays the successive configurations of one database with signers made as the application makes
 * them (a restart with other settings), and removes its checkpoints again. Shares the application
 * context of {@link TamperEvidenceTest} (the same properties), whose chain it leaves as it found it.
 */
@ChorusIntegrationTest
@TestPropertySource(properties = {"chorus.audit.chain-batch-size=499",
        "chorus.audit.checkpoints.signing-key=MC4CAQAwBQYDK2VwBCIEIHkpmxNi7EcPyKtWH0bIpoyhybNBzT2cMMcCxsKgPcgH"})
class SigningKeyChangeTest {

    @Autowired
    AuditProperties properties;
    @Autowired
    EntryStore entries;
    @Autowired
    CheckpointStore checkpoints;
    @Autowired
    AuditTrail trail;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;

    final KeyPair keyA = generated();
    final KeyPair keyB = generated();
    final List<Long> taken = new ArrayList<>();

    /**
     * Checkpoints other tests took on this shared database: set aside, so each test here starts a
     * history of its own (which key signed first matters), and put back afterwards as they were.
     */
    List<Map<String, Object>> earlier = List.of();

    @BeforeEach
    void setEarlierCheckpointsAside() {
        trail.flush();
        earlier = jdbc.sql("SELECT * FROM audit.checkpoint ORDER BY id").query().listOfRows();
        DatabaseSuperuser.of(dataSource).tamper(sql -> sql.sql("DELETE FROM audit.checkpoint").update());
    }

    @AfterEach
    void removeTheCheckpointsTakenAndPutTheEarlierBack() {
        DatabaseSuperuser.of(dataSource).tamper(sql -> {
            sql.sql("DELETE FROM audit.checkpoint WHERE id = ANY(:ids)").param("ids", taken.toArray(Long[]::new))
                    .update();
            for (Map<String, Object> row : earlier) {
                String columns = String.join(", ", row.keySet());
                String values = row.keySet().stream().map(column -> ":" + column).collect(Collectors.joining(", "));
                var insert = sql.sql("INSERT INTO audit.checkpoint (" + columns + ") OVERRIDING SYSTEM VALUE VALUES ("
                        + values + ")");
                for (var column : row.entrySet()) {
                    insert = insert.param(column.getKey(), column.getValue());
                }
                insert.update();
            }
        });
    }

    @Test
    void aKeyConfiguredAfterRunningWithoutOneTakesEarlierCheckpointsAsUnsigned() {
        checkpoint(signer(null));
        // Signed by a version that did not record where its key came from: a key generated at start, then.
        long legacy = insertSignedBy(generated(), null);

        ChainVerification verdict = verifier(signer(keyA)).verify(null, null);

        assertThat(verdict.intact()).as("verdict: %s", verdict).isTrue();
        assertThat(verdict.checkpointsChecked()).isGreaterThanOrEqualTo(2);
        assertThat(checkpoints.after(legacy - 1, 1).getFirst().keyOrigin()).isNull();
    }

    @Test
    void aRotatedKeyWhoseOldKeyIsTrustedVerifies() {
        checkpoint(signer(keyA));
        checkpoint(signer(keyB, keyA));

        ChainVerification verdict = verifier(signer(keyB, keyA)).verify(null, null);

        assertThat(verdict.intact()).as("verdict: %s", verdict).isTrue();
    }

    @Test
    void aRotatedKeyWhoseOldKeyIsNotTrustedIsReportedAsAnUntrustedKeyNotAsTampering() {
        CheckpointStore.Stored byA = checkpoint(signer(keyA));
        checkpoint(signer(keyB));

        ChainVerification verdict = verifier(signer(keyB)).verify(null, null);

        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.firstBroken().problem()).isEqualTo("UNTRUSTED_KEY");
        assertThat(verdict.firstBroken().seq()).isEqualTo(byA.seq());
        assertThat(verdict.firstBroken().detail()).contains("Checkpoint " + byA.id())
                .contains(CheckpointSigner.keyId(keyA.getPublic().getEncoded()));
    }

    @Test
    void aModifiedCheckpointIsStillTamperingWhicheverKeySignedIt() {
        CheckpointStore.Stored generated = checkpoint(signer(null));
        CheckpointStore.Stored byA = checkpoint(signer(keyA));
        CheckpointSigner afterRotation = signer(keyB, keyA);
        assertThat(verifier(afterRotation).verify(null, null).intact()).isTrue();

        for (CheckpointStore.Stored changed : List.of(byA, generated)) {
            DatabaseSuperuser.of(dataSource).tamper(sql -> sql.sql(
                            "UPDATE audit.checkpoint SET signed_at = signed_at - interval '1 second' WHERE id = :id")
                    .param("id", changed.id()).update());
            try {
                ChainVerification verdict = verifier(afterRotation).verify(null, null);
                assertThat(verdict.intact()).isFalse();
                assertThat(verdict.firstBroken().problem()).isEqualTo("CHECKPOINT_MISMATCH");
                assertThat(verdict.firstBroken().detail()).contains("Checkpoint " + changed.id());
            } finally {
                DatabaseSuperuser.of(dataSource).tamper(sql -> sql.sql(
                                "UPDATE audit.checkpoint SET signed_at = signed_at + interval '1 second' WHERE id = :id")
                        .param("id", changed.id()).update());
            }
        }
    }

    @Test
    void aCheckpointClaimingAGeneratedKeyAfterATrustedOneIsNoExcuse() {
        checkpoint(signer(keyA));
        // What someone who rewrote the chain from here on would store: their own key, "generated".
        long forged = insertSignedBy(generated(), "GENERATED");
        long unrecorded = insertSignedBy(generated(), null);

        ChainVerification verdict = verifier(signer(keyA)).verify(null, null);

        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.firstBroken().problem()).isEqualTo("UNTRUSTED_KEY");
        assertThat(verdict.firstBroken().detail()).contains("Checkpoint " + forged);
        assertThat(unrecorded).isGreaterThan(forged);
    }

    /**
     * The signer a start with this key (null: none) and these trusted earlier keys would make. The
     * context's own key signed the checkpoints other tests took on this database: it is trusted too,
     * as the key before all of these.
     */
    private CheckpointSigner signer(KeyPair key, KeyPair... trusted) {
        List<String> earlier = new ArrayList<>();
        earlier.add(Base64.getEncoder().encodeToString(CheckpointSigner.fromPkcs8(
                Base64.getDecoder().decode(properties.checkpoints().signingKey())).getPublic().getEncoded()));
        for (KeyPair pair : trusted) {
            earlier.add(Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
        }
        AuditProperties.Checkpoints settings = new AuditProperties.Checkpoints(properties.checkpoints().interval(),
                key == null ? null : Base64.getEncoder().encodeToString(key.getPrivate().getEncoded()), earlier);
        AuditProperties adjusted = new AuditProperties(properties.chainBatchSize(), properties.chainInterval(),
                properties.chainLinger(), properties.chainLagLimit(), properties.maxPageSize(),
                properties.entryRetention(), properties.retentionInterval(), settings, properties.refusals());
        return new CheckpointSigner(adjusted, entries, checkpoints, Clock.systemUTC());
    }

    private ChainVerifier verifier(CheckpointSigner signer) {
        return new ChainVerifier(entries, checkpoints, signer);
    }

    private CheckpointStore.Stored checkpoint(CheckpointSigner signer) {
        trail.flush();
        CheckpointStore.Stored stored = signer.checkpoint(false).orElseThrow();
        taken.add(stored.id());
        return stored;
    }

    /** A checkpoint of the current head as an earlier version stored it: no key origin. */
    private long insertSignedBy(KeyPair key, String origin) {
        trail.flush();
        var head = jdbc.sql("SELECT last_seq, last_hash FROM audit.chain_head").query().singleRow();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String payload = CheckpointSigner.payload((Long) head.get("last_seq"),
                EntryHash.hex((byte[]) head.get("last_hash")), at);
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key.getPrivate());
            signer.update(payload.getBytes(StandardCharsets.UTF_8));
            long id = jdbc.sql("""
                    INSERT INTO audit.checkpoint (seq, hash, signed_at, payload, key_id, public_key, signature,
                                                  key_origin)
                    VALUES (:s, :h, :at, :p, :kid, :k, :sig, :origin) RETURNING id
                    """).param("s", head.get("last_seq")).param("h", head.get("last_hash"))
                    .param("at", Timestamp.from(at)).param("p", payload)
                    .param("kid", CheckpointSigner.keyId(key.getPublic().getEncoded()))
                    .param("k", key.getPublic().getEncoded()).param("sig", signer.sign()).param("origin", origin)
                    .query(Long.class).single();
            taken.add(id);
            return id;
        } catch (java.security.GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static KeyPair generated() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
