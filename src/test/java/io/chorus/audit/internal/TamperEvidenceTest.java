package io.chorus.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.audit.AuditTrail;
import io.chorus.audit.AuditSetup;
import io.chorus.chat.ChatEvents;
import io.chorus.chat.ConversationId;
import io.chorus.identity.UserId;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.DatabaseSuperuser;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Tampering as a database superuser would do it: with the append-only triggers switched off
 * for the session. Verification must name exactly the first entry that no longer fits. Each
 * test undoes its tampering, and the class runs on a database of its own (its own property makes
 * its own application context), so no other test sees a broken chain.
 */
@ChorusIntegrationTest
@TestPropertySource(properties = {"chorus.audit.chain-batch-size=499",
        // A throw-away Ed25519 key for this test only: checkpoints must be signed by the configured key.
        "chorus.audit.checkpoints.signing-key=MC4CAQAwBQYDK2VwBCIEIHkpmxNi7EcPyKtWH0bIpoyhybNBzT2cMMcCxsKgPcgH"})
class TamperEvidenceTest {

    @Autowired
    TestClients clients;
    @Autowired
    AuditTrail trail;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ApplicationEventPublisher events;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    ChainVerifier verifier;
    @Autowired
    DataSource dataSource;

    TestUser officer;
    long target;

    @BeforeEach
    void someEntries() {
        officer = clients.user("officer", List.of("employee", "compliance_officer"));
        UUID conversation = UUID.randomUUID();
        long ids = AuditSetup.unusedMessageIds();
        for (int i = 1; i <= 6; i++) {
            long n = i;
            transactions.executeWithoutResult(status -> events.publishEvent(new ChatEvents.MessagePosted(
                    ConversationId.of(conversation), ids + n, n, UserId.of(UUID.randomUUID()), "m" + n, Instant.now())));
        }
        org.awaitility.Awaitility.await().until(() -> {
            trail.flush();
            return jdbc.sql("SELECT count(*) FROM audit.entry WHERE conversation_id = :c").param("c", conversation)
                    .query(Long.class).single() == 6;
        });
        target = jdbc.sql("SELECT min(seq) + 2 FROM audit.entry WHERE conversation_id = :c").param("c", conversation)
                .query(Long.class).single();
        assertThat(verify().get("intact").asBoolean()).as("intact before tampering").isTrue();
    }

    @Test
    void aChangedDetailIsReportedAtThatEntry() {
        String original = column("detail", target);
        asSuperuser(sql -> sql.sql("UPDATE audit.entry SET detail = '{\"seq\":1,\"length\":99}' WHERE seq = :s")
                .param("s", target).update());

        assertBrokenAt(target, "HASH_MISMATCH");

        asSuperuser(sql -> sql.sql("UPDATE audit.entry SET detail = :d WHERE seq = :s")
                .param("d", original).param("s", target).update());
        assertThat(verify().get("intact").asBoolean()).as("intact once undone").isTrue();
    }

    @Test
    void aDeletedEntryIsReportedAsMissing() {
        Map<String, Object> row = jdbc.sql("SELECT * FROM audit.entry WHERE seq = :s").param("s", target)
                .query().singleRow();
        asSuperuser(sql -> sql.sql("DELETE FROM audit.entry WHERE seq = :s").param("s", target).update());

        assertBrokenAt(target, "ENTRY_MISSING");

        asSuperuser(sql -> reinsert(sql, row));
        assertThat(verify().get("intact").asBoolean()).isTrue();
    }

    @Test
    void swappedEntriesAreReportedAtTheFirstOfThem() {
        asSuperuser(sql -> swap(sql, target, target + 1));

        assertBrokenAt(target, "HASH_MISMATCH");

        asSuperuser(sql -> swap(sql, target, target + 1));
        assertThat(verify().get("intact").asBoolean()).isTrue();
    }

    @Test
    void anEntryRehashedAfterItsChangeBreaksTheLinkOfTheNext() {
        Map<String, Object> row = jdbc.sql("SELECT * FROM audit.entry WHERE seq = :s").param("s", target)
                .query().singleRow();
        String forged = "{\"seq\":1,\"length\":1}";
        byte[] rehashed = EntryHash.of(content(row, forged));
        asSuperuser(sql -> sql.sql("UPDATE audit.entry SET detail = :d, hash = :h WHERE seq = :s")
                .param("d", forged).param("h", rehashed).param("s", target).update());

        assertBrokenAt(target + 1, "CHAIN_BROKEN");

        asSuperuser(sql -> sql.sql("UPDATE audit.entry SET detail = :d, hash = :h WHERE seq = :s")
                .param("d", row.get("detail")).param("h", row.get("hash")).param("s", target).update());
        assertThat(verify().get("intact").asBoolean()).isTrue();
    }

    @Test
    void aChainRewrittenConsistentlyUpToASignedCheckpointFailsTheCheckpoint() {
        long signedSeq = clients.rest(officer).post("/api/v1/audit/checkpoints", null).status(201).json()
                .get("seq").asLong();
        List<Map<String, Object>> originals = jdbc.sql(
                        "SELECT * FROM audit.entry WHERE seq BETWEEN :from AND :to ORDER BY seq")
                .param("from", target).param("to", signedSeq).query().listOfRows();
        // Forge the target entry and re-link everything after it up to the signed head.
        asSuperuser(sql -> {
            byte[] previous = (byte[]) originals.getFirst().get("prev_hash");
            for (Map<String, Object> row : originals) {
                String detail = row == originals.getFirst() ? "{\"seq\":1,\"length\":1}" : (String) row.get("detail");
                Map<String, Object> relinked = new java.util.HashMap<>(row);
                relinked.put("prev_hash", previous);
                byte[] hash = EntryHash.of(content(relinked, detail));
                sql.sql("UPDATE audit.entry SET detail = :d, prev_hash = :p, hash = :h WHERE seq = :s")
                        .param("d", detail).param("p", previous).param("h", hash).param("s", row.get("seq"))
                        .update();
                previous = hash;
            }
        });

        assertBrokenAt(signedSeq, "CHECKPOINT_MISMATCH");

        asSuperuser(sql -> originals.forEach(row -> sql.sql(
                        "UPDATE audit.entry SET detail = :d, prev_hash = :p, hash = :h WHERE seq = :s")
                .param("d", row.get("detail")).param("p", row.get("prev_hash")).param("h", row.get("hash"))
                .param("s", row.get("seq")).update()));
        assertThat(verify().get("intact").asBoolean()).isTrue();
    }

    @Test
    void theNewestEntryRehashedInPlaceNoLongerMatchesTheChainHead() {
        untilQuiet();
        long head = jdbc.sql("SELECT last_seq FROM audit.chain_head").query(Long.class).single();
        Map<String, Object> row = jdbc.sql("SELECT * FROM audit.entry WHERE seq = :s").param("s", head)
                .query().singleRow();
        byte[] rehashed = EntryHash.of(content(row, "{\"forged\":true}"));
        asSuperuser(sql -> sql.sql("UPDATE audit.entry SET detail = :d, hash = :h WHERE seq = :s")
                .param("d", "{\"forged\":true}").param("h", rehashed).param("s", head).update());
        try {
            // Straight to the verifier: a REST call would itself add an entry after the forged one.
            var verdict = verifier.verify(null, null);
            assertThat(verdict.intact()).isFalse();
            assertThat(verdict.firstBroken().seq()).isEqualTo(head);
            assertThat(verdict.firstBroken().problem()).isEqualTo("HASH_MISMATCH");
        } finally {
            asSuperuser(sql -> sql.sql("UPDATE audit.entry SET detail = :d, hash = :h WHERE seq = :s")
                    .param("d", row.get("detail")).param("h", row.get("hash")).param("s", head).update());
        }
        assertThat(verify().get("intact").asBoolean()).isTrue();
    }

    /**
     * A checkpoint that claims a configured key which is neither the signing key nor trusted: it
     * cannot be told from an earlier key left out after a rotation, so it is reported as such, not
     * as tampering, and verification is not intact.
     */
    @Test
    void aCheckpointSignedWithAnotherKeyDoesNotCount() throws Exception {
        untilQuiet();
        var head = jdbc.sql("SELECT last_seq, last_hash FROM audit.chain_head").query().singleRow();
        long seq = (Long) head.get("last_seq");
        java.security.KeyPair forger = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Instant at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        String payload = CheckpointSigner.payload(seq, EntryHash.hex((byte[]) head.get("last_hash")), at);
        java.security.Signature signer = java.security.Signature.getInstance("Ed25519");
        signer.initSign(forger.getPrivate());
        signer.update(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        long id = jdbc.sql("""
                INSERT INTO audit.checkpoint (seq, hash, signed_at, payload, key_id, public_key, signature,
                                              key_origin)
                VALUES (:s, :h, :at, :p, 'forged', :k, :sig, 'CONFIGURED') RETURNING id
                """).param("s", seq).param("h", head.get("last_hash")).param("at", Timestamp.from(at))
                .param("p", payload).param("k", forger.getPublic().getEncoded()).param("sig", signer.sign())
                .query(Long.class).single();
        try {
            var verdict = verifier.verify(null, null);
            assertThat(verdict.intact()).isFalse();
            assertThat(verdict.firstBroken().seq()).isEqualTo(seq);
            assertThat(verdict.firstBroken().problem()).isEqualTo("UNTRUSTED_KEY");
            assertThat(verdict.firstBroken().detail()).contains("forged").contains("trusted-public-keys");
        } finally {
            asSuperuser(sql -> sql.sql("DELETE FROM audit.checkpoint WHERE id = :id").param("id", id).update());
        }
        assertThat(verify().get("intact").asBoolean()).isTrue();
    }

    @Test
    void aRangeIsVerifiedOnItsOwn() {
        String original = column("detail", target);
        asSuperuser(sql -> sql.sql("UPDATE audit.entry SET detail = '{}' WHERE seq = :s").param("s", target)
                .update());
        try {
            JsonNode before = clients.rest(officer).get("/api/v1/audit/verify?fromSeq=1&toSeq=" + (target - 1))
                    .ok().json();
            assertThat(before.get("intact").asBoolean()).isTrue();
            assertThat(before.get("toSeq").asLong()).isEqualTo(target - 1);
            JsonNode including = clients.rest(officer).get("/api/v1/audit/verify?fromSeq=" + target + "&toSeq="
                    + (target + 1)).ok().json();
            assertThat(including.get("firstBroken").get("seq").asLong()).isEqualTo(target);
        } finally {
            asSuperuser(sql -> sql.sql("UPDATE audit.entry SET detail = :d WHERE seq = :s")
                    .param("d", original).param("s", target).update());
        }
    }

    /**
     * Until the listeners of earlier requests (sign-ins, the set-up's verification) have recorded
     * everything and it is chained: a test that tampers with the newest entry needs it to stay newest.
     */
    private void untilQuiet() {
        long[] last = {-1};
        org.awaitility.Awaitility.await().pollInterval(java.time.Duration.ofMillis(300)).until(() -> {
            trail.flush();
            long head = jdbc.sql("SELECT last_seq FROM audit.chain_head").query(Long.class).single();
            long pending = jdbc.sql("SELECT count(*) FROM audit.pending_entry").query(Long.class).single();
            boolean quiet = pending == 0 && head == last[0];
            last[0] = head;
            return quiet;
        });
    }

    private void assertBrokenAt(long seq, String problem) {
        JsonNode verdict = verify();
        assertThat(verdict.get("intact").asBoolean()).as("verify: %s", verdict).isFalse();
        assertThat(verdict.get("firstBroken").get("seq").asLong()).as("verify: %s", verdict).isEqualTo(seq);
        assertThat(verdict.get("firstBroken").get("problem").asString()).isEqualTo(problem);
    }

    private JsonNode verify() {
        return clients.rest(officer).get("/api/v1/audit/verify").ok().json();
    }

    private String column(String name, long seq) {
        return jdbc.sql("SELECT " + name + " FROM audit.entry WHERE seq = :s").param("s", seq)
                .query(String.class).single();
    }

    /**
     * Runs {@code tampering} in one transaction with triggers off, as only a superuser can (on a
     * connection of its own: under the production roles the application's could not).
     */
    private void asSuperuser(Consumer<JdbcClient> tampering) {
        DatabaseSuperuser.of(dataSource).tamper(tampering);
    }

    /** Exchanges the content of two entries, each keeping its seq. */
    private static void swap(JdbcClient sql, long a, long b) {
        sql.sql("""
                UPDATE audit.entry e SET event_key = o.event_key || '#', occurred_at = o.occurred_at,
                    recorded_at = o.recorded_at, actor_type = o.actor_type, actor_id = o.actor_id, action = o.action,
                    target_type = o.target_type, target_id = o.target_id, conversation_id = o.conversation_id,
                    department_id = o.department_id, source_ip = o.source_ip, session_id = o.session_id,
                    detail = o.detail, prev_hash = o.prev_hash, hash = o.hash
                FROM audit.entry o WHERE (e.seq, o.seq) IN ((:a, :b), (:b, :a))
                """).param("a", a).param("b", b).update();
        // The unique event keys were parked with a '#'; drop it now that both rows moved.
        sql.sql("UPDATE audit.entry SET event_key = left(event_key, -1) WHERE seq IN (:a, :b)")
                .param("a", a).param("b", b).update();
    }

    private static void reinsert(JdbcClient sql, Map<String, Object> row) {
        sql.sql("""
                INSERT INTO audit.entry (seq, event_key, occurred_at, recorded_at, actor_type, actor_id, action,
                    target_type, target_id, conversation_id, department_id, source_ip, session_id, detail, prev_hash,
                    hash)
                VALUES (:seq, :event_key, :occurred_at, :recorded_at, :actor_type, :actor_id, :action, :target_type,
                    :target_id, :conversation_id, :department_id, :source_ip, :session_id, :detail, :prev_hash, :hash)
                """).paramSource(row).update();
    }

    private static EntryHash.Content content(Map<String, Object> row, String detail) {
        return new EntryHash.Content((Long) row.get("seq"), (String) row.get("event_key"),
                ((Timestamp) row.get("occurred_at")).toInstant(), ((Timestamp) row.get("recorded_at")).toInstant(),
                (String) row.get("actor_type"), (UUID) row.get("actor_id"), (String) row.get("action"),
                (String) row.get("target_type"), (String) row.get("target_id"), (UUID) row.get("conversation_id"),
                (UUID) row.get("department_id"), (String) row.get("source_ip"), (String) row.get("session_id"),
                detail, (byte[]) row.get("prev_hash"));
    }
}
