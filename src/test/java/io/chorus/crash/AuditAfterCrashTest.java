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
 * The application goes down after a message committed but before the audit listener could
 * record it (the listener is held on a table lock when the context stops). The message's event
 * waits in the publication registry, and after the restart its audit entry is there, once.
 */
class AuditAfterCrashTest {

    @Test
    void aMessageSentJustBeforeACrashIsAuditedAfterRestart(@TempDir Path dataDirectory) throws Exception {
        long messageId;
        UUID conversation;
        try (ConfigurableApplicationContext first = EventPublicationRecoveryTest.start(dataDirectory)) {
            JdbcClient jdbc = first.getBean(JdbcClient.class);
            Connection blocker = first.getBean(DataSource.class).getConnection();
            blocker.setAutoCommit(false);
            try (Statement lock = blocker.createStatement()) {
                // Reads still work; the listener's insert into pending entries waits.
                lock.execute("LOCK TABLE audit.pending_entry IN EXCLUSIVE MODE");
            }
            UserId author = UserId.of(UUID.randomUUID());
            var group = first.getBean(Conversations.class).createGroup(author, "Before the crash", List.of());
            conversation = group.id();
            messageId = first.getBean(Messages.class).send(new SendMessage(ConversationId.of(group.id()), author,
                    "crash-audit-1", "Sent just before the crash", null)).message().id();
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("""
                    SELECT count(*) FROM pg_stat_activity
                    WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO audit.pending_entry%'
                    """).query(Long.class).single() > 0);
            assertThat(entriesFor(jdbc, messageId)).isZero();
            // The context closes with the listener still waiting: its transaction never commits.
        }

        try (ConfigurableApplicationContext second = EventPublicationRecoveryTest.start(dataDirectory)) {
            JdbcClient jdbc = second.getBean(JdbcClient.class);
            AuditTrail trail = second.getBean(AuditTrail.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                trail.flush();
                return entriesFor(jdbc, messageId) == 1;
            });
            assertThat(jdbc.sql("SELECT count(*) FROM audit.entry WHERE conversation_id = :c AND action = "
                    + "'conversation.created'").param("c", conversation).query(Long.class).single())
                    .as("the group's creation, held up the same way").isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("SELECT count(*) FROM event_publication "
                    + "WHERE completion_date IS NULL AND listener_id LIKE '%ChatActivity%'")
                    .query(Long.class).single() == 0);
            assertThat(entriesFor(jdbc, messageId)).as("recorded once").isEqualTo(1);
        }
    }

    private static long entriesFor(JdbcClient jdbc, long messageId) {
        return jdbc.sql("SELECT count(*) FROM audit.entry WHERE action = 'message.posted' AND target_id = :id")
                .param("id", Long.toString(messageId)).query(Long.class).single();
    }
}
