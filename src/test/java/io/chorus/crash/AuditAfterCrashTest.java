package io.chorus.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.audit.AuditTrail;
import io.chorus.chat.ConversationId;
import io.chorus.chat.Conversations;
import io.chorus.chat.Messages;
import io.chorus.chat.SendMessage;
import io.chorus.identity.UserId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The application goes down after a message committed but before its side effects were
 * finished: the chain writer is held on the chain head's lock and the search indexer on the
 * documents table. A message's audit entry and search document are queued in the message's own
 * transaction, so after the restart each is there exactly once; so is the entry of the group's
 * creation, which travels through the publication registry instead.
 */
class AuditAfterCrashTest {

    @Test
    void aMessageSentJustBeforeACrashIsAuditedAndIndexedOnceAfterRestart(@TempDir Path dataDirectory)
            throws Exception {
        long messageId;
        UUID conversation;
        try (ConfigurableApplicationContext first = EventPublicationRecoveryTest.start(dataDirectory)) {
            JdbcClient jdbc = first.getBean(JdbcClient.class);
            Connection blocker = first.getBean(DataSource.class).getConnection();
            blocker.setAutoCommit(false);
            UserId author = UserId.of(UUID.randomUUID());
            try (Statement lock = blocker.createStatement()) {
                // Reads and inserts still work; chaining and indexing wait.
                lock.execute("LOCK TABLE audit.chain_head IN EXCLUSIVE MODE");
                lock.execute("LOCK TABLE search.message_doc IN EXCLUSIVE MODE");
                conversation = first.getBean(Conversations.class).createGroup(author, "Before the crash", List.of())
                        .id();
                messageId = first.getBean(Messages.class).send(new SendMessage(ConversationId.of(conversation),
                        author, "crash-audit-1", "Sent just before the crash", null)).message().id();
                assertThat(jdbc.sql("SELECT count(*) FROM audit.pending_entry WHERE event_key = :key")
                        .param("key", "message.posted:" + messageId).query(Long.class).single())
                        .as("queued with the message").isEqualTo(1);
                assertThat(jdbc.sql("SELECT count(*) FROM search.pending_message WHERE message_id = :id")
                        .param("id", messageId).query(Long.class).single()).as("queued with the message")
                        .isEqualTo(1);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingOn(jdbc, "audit.chain_head") > 0
                    && waitingOn(jdbc, "search.message_doc") > 0);
            assertThat(entriesFor(jdbc, "message.posted", Long.toString(messageId))).isZero();
            // The context closes with the writers still waiting: their transactions never commit.
        }

        try (ConfigurableApplicationContext second = EventPublicationRecoveryTest.start(dataDirectory)) {
            JdbcClient jdbc = second.getBean(JdbcClient.class);
            AuditTrail trail = second.getBean(AuditTrail.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                trail.flush();
                return entriesFor(jdbc, "message.posted", Long.toString(messageId)) == 1
                        && entriesFor(jdbc, "conversation.created", conversation.toString()) == 1;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                    "SELECT count(*) FROM search.message_doc WHERE message_id = :id").param("id", messageId)
                    .query(Long.class).single() == 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("SELECT count(*) FROM event_publication "
                    + "WHERE completion_date IS NULL AND listener_id LIKE '%ChatActivity%'")
                    .query(Long.class).single() == 0);
            trail.flush();
            assertThat(entriesFor(jdbc, "message.posted", Long.toString(messageId))).as("recorded once").isEqualTo(1);
            assertThat(entriesFor(jdbc, "conversation.created", conversation.toString())).isEqualTo(1);
            assertThat(jdbc.sql("SELECT count(*) FROM audit.pending_entry").query(Long.class).single()).isZero();
        }
    }

    private static long waitingOn(JdbcClient jdbc, String table) {
        return jdbc.sql("""
                SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE NOT l.granted AND n.nspname || '.' || c.relname = :table
                """).param("table", table).query(Long.class).single();
    }

    private static long entriesFor(JdbcClient jdbc, String action, String target) {
        return jdbc.sql("SELECT count(*) FROM audit.entry WHERE action = :action AND target_id = :id")
                .param("action", action).param("id", target).query(Long.class).single();
    }
}
