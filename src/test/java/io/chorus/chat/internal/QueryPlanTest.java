package io.chorus.chat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The hot reads use their indexes: with a conversation of 100,000 messages and a member table
 * of tens of thousands of rows (statistics analysed), PostgreSQL's plan for exactly the SQL the
 * stores run must not scan a whole table.
 */
@ChorusIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryPlanTest {

    private static final int MESSAGES = 100_000;

    @Autowired
    JdbcClient jdbc;

    private final UUID conversation = UUID.randomUUID();
    private final UUID sender = UUID.randomUUID();
    private final UUID viewer = UUID.randomUUID();

    @BeforeAll
    void loadAVolumeWorthPlanningFor() {
        jdbc.sql("""
                INSERT INTO chat.conversation (id, kind, name, created_by, created_at, last_activity_at, last_seq, member_count)
                VALUES (:c, 'GROUP', 'Plan check', :u, now(), now(), :n, 1)
                """).param("c", conversation).param("u", sender).param("n", MESSAGES).update();
        // Every hundredth message was edited (or reacted to) a little after it was posted, as in real
        // conversations, so catch-up has changed old messages to find.
        jdbc.sql("""
                INSERT INTO chat.message (conversation_id, seq, sender_id, client_message_id, body, created_at, changed_at_seq)
                SELECT :c, g, :u, 'plan-' || g, 'message number ' || g, now(),
                       CASE WHEN g % 100 = 0 THEN g + 50 END
                FROM generate_series(1, :n) g
                """).param("c", conversation).param("u", sender).param("n", MESSAGES).update();
        // A steady state of retention: messages span 60 days, and an earlier purge (30 days) erased
        // all but a few of the older half, so each run finds little left to do.
        jdbc.sql("""
                UPDATE chat.message SET created_at = now() - (:n - seq) * interval '52 seconds',
                                        purged_at = CASE WHEN seq < :n / 2 AND seq % 1000 <> 0 THEN now() END
                WHERE conversation_id = :c
                """).param("c", conversation).param("n", MESSAGES).update();
        jdbc.sql("""
                INSERT INTO chat.conversation (id, kind, name, created_by, created_at, last_activity_at, member_count)
                SELECT gen_random_uuid(), 'GROUP', 'plan group ' || g, :u, now(), now() - g * interval '1 minute', 20
                FROM generate_series(1, 3000) g
                """).param("u", viewer).update();
        jdbc.sql("""
                INSERT INTO chat.member (conversation_id, user_id, role, joined_at)
                SELECT c.id, gen_random_uuid(), 'MEMBER', now()
                FROM chat.conversation c CROSS JOIN generate_series(1, 20)
                WHERE c.created_by = :u
                """).param("u", viewer).update();
        jdbc.sql("""
                INSERT INTO chat.member (conversation_id, user_id, role, joined_at)
                SELECT id, :u, 'MEMBER', now() FROM chat.conversation WHERE created_by = :u LIMIT 300
                """).param("u", viewer).update();
        jdbc.sql("ANALYZE chat.message").update();
        jdbc.sql("ANALYZE chat.member").update();
        jdbc.sql("ANALYZE chat.conversation").update();
        jdbc.sql("ANALYZE chat.reaction").update();
    }

    @Test
    void newestPageOfHistoryWalksTheSeqIndexBackwards() {
        String plan = explain(MessageStore.PAGE_BEFORE, Map.of("c", conversation, "before", Long.MAX_VALUE, "n", 51));
        assertThat(plan).contains("message_seq_unique").doesNotContain("Seq Scan");
    }

    @Test
    void pageAfterASeqUsesTheSeqIndex() {
        String plan = explain(MessageStore.PAGE_AFTER, Map.of("c", conversation, "after", 50_000L, "n", 51));
        assertThat(plan).contains("message_seq_unique").doesNotContain("Seq Scan");
    }

    @Test
    void catchUpFindsChangedOldMessagesByTheirChangeStampNotByScanningHistory() {
        String plan = explain(MessageStore.CATCH_UP,
                Map.of("c", conversation, "since", 99_900L, "after", 0L, "n", 101));
        assertThat(plan).contains("message_changed", "message_seq_unique").doesNotContain("Seq Scan");
    }

    @Test
    void reactionsOfAPageComeFromTheReactionKey() {
        String plan = explain(MessageStore.REACTIONS, Map.of("ids", new Long[] {1L, 2L, 3L}));
        assertThat(plan).doesNotContain("Seq Scan on message ");
    }

    @Test
    void conversationListStartsFromTheViewersMemberships() {
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("viewer", viewer);
        params.put("beforeActivity", null);
        params.put("beforeId", null);
        params.put("limit", 51);
        String plan = explain(ConversationStore.LIST_FOR, params);
        assertThat(plan).contains("member_by_user").doesNotContain("Seq Scan on member");
    }

    @Test
    void purgeOfAConversationWithItsOwnPeriodFindsWhatIsLeftByConversationAndAge() {
        String plan = explain(MessageStore.PURGE_CONVERSATION, Map.of("c", conversation,
                "cutoff", Timestamp.from(Instant.now().minus(Duration.ofDays(30))), "n", 1000,
                "now", Timestamp.from(Instant.now())));
        // This one conversation holds nearly every message here, so either partial index serves it;
        // among many conversations the planner takes the one by conversation and age.
        assertThat(plan).contains("message_unpurged_by", "message_pkey").doesNotContain("Seq Scan on message ");
    }

    @Test
    void purgeByTheGlobalPeriodFindsWhatIsLeftByAgeAcrossConversations() {
        String plan = explain(MessageStore.PURGE_DEFAULT, Map.of(
                "cutoff", Timestamp.from(Instant.now().minus(Duration.ofDays(30))), "n", 1000,
                "now", Timestamp.from(Instant.now())));
        assertThat(plan).contains("message_unpurged_by_age", "message_pkey").doesNotContain("Seq Scan on message ");
    }

    @Test
    void anArchiveOfAConversationInAPeriodReadsOnlyThatPeriodOfIt() {
        var query = new io.chorus.chat.ArchiveQuery(java.util.Set.of(io.chorus.chat.ConversationId.of(conversation)),
                java.util.Set.of(), java.time.Instant.now().minus(java.time.Duration.ofDays(2)), null, null);
        String plan = explain(ArchiveStore.ARCHIVE,
                ArchiveStore.parameters(query).getValues());
        // PostgreSQL 18 may skip-scan the sender index by period when the sample has few senders.
        // "message " with its space: a small message_revision table may well be scanned.
        assertThat(plan).containsAnyOf("message_by_conversation_time", "message_by_sender_time")
                .doesNotContain("Seq Scan on message ");
    }

    /**
     * This test's sender wrote every message of the plan conversation, so the planner may as
     * well read the period through either (..., created_at) index; it must not scan the table.
     */
    @Test
    void anArchiveOfASendersMessagesReadsOnlyThePeriodThroughAnIndex() {
        var query = new io.chorus.chat.ArchiveQuery(java.util.Set.of(), java.util.Set.of(
                io.chorus.identity.UserId.of(sender)), java.time.Instant.now().minus(java.time.Duration.ofDays(1)),
                java.time.Instant.now(), java.util.Set.of(io.chorus.identity.UserId.of(sender)));
        String plan = explain(ArchiveStore.ARCHIVE,
                ArchiveStore.parameters(query).getValues());
        assertThat(plan).containsAnyOf("message_by_sender_time", "message_by_conversation_time")
                .doesNotContain("Seq Scan on message ");
    }

    private String explain(String sql, Map<String, ?> params) {
        String plan = String.join("\n", jdbc.sql("EXPLAIN " + sql).params(params).query(String.class).list());
        System.out.println(plan);
        return plan;
    }
}
