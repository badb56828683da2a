package io.chorus.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.ChorusApplication;
import io.chorus.chat.ConversationId;
import io.chorus.chat.Conversations;
import io.chorus.chat.MessageView;
import io.chorus.chat.Messages;
import io.chorus.chat.SendMessage;
import io.chorus.identity.UserId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every PostgreSQL process dies at once (SIGKILL, as in a power cut of the database alone or
 * the OOM killer) while messages are being sent. Whatever was acknowledged before must be there
 * after the restart, under the seq its sender was told: WAL that a commit only promised to write
 * later dies with the server's shared memory.
 */
class AcknowledgedMessagesAfterDatabaseCrashTest {

    record Acked(UUID conversationId, long messageId, long seq, String clientMessageId, String text) {
    }

    @Test
    void everyAcknowledgedMessageSurvivesADatabaseCrashWithItsSeq(@TempDir Path dataDirectory) throws Exception {
        Path postgresData = dataDirectory.resolve("pg");
        UserId author = UserId.of(UUID.randomUUID());
        Queue<Acked> acked = new ConcurrentLinkedQueue<>();
        List<UUID> conversations = new ArrayList<>();
        try (ConfigurableApplicationContext first = start(postgresData);
                ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            Messages messages = first.getBean(Messages.class);
            for (int i = 0; i < 4; i++) {
                conversations.add(first.getBean(Conversations.class)
                        .createGroup(author, "Under load " + i, List.of()).id());
            }
            List<Future<?>> sending = new ArrayList<>();
            for (int sender = 0; sender < 8; sender++) {
                UUID conversation = conversations.get(sender % conversations.size());
                String prefix = "s" + sender + "-";
                sending.add(senders.submit(() -> sendUntilTheDatabaseFails(messages, author, conversation,
                        prefix, acked)));
            }
            // Kill while acknowledgements are still coming in: the newest ones are the ones at risk.
            await().atMost(Duration.ofSeconds(120)).until(() -> acked.size() >= 400);
            killEveryProcessOf(postgresData);
            for (Future<?> sender : sending) {
                sender.get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(acked).hasSizeGreaterThanOrEqualTo(400);

        try (ConfigurableApplicationContext second = start(postgresData)) {
            JdbcClient jdbc = second.getBean(JdbcClient.class);
            Map<Long, Acked> stored = jdbc.sql("SELECT id, conversation_id, seq, client_message_id, body "
                            + "FROM chat.message WHERE sender_id = :author")
                    .param("author", author.value())
                    .query((rs, row) -> new Acked(rs.getObject("conversation_id", UUID.class), rs.getLong("id"),
                            rs.getLong("seq"), rs.getString("client_message_id"), rs.getString("body")))
                    .list().stream().collect(Collectors.toMap(Acked::messageId, message -> message));
            List<Acked> lost = acked.stream().filter(message -> !message.equals(stored.get(message.messageId())))
                    .toList();
            assertThat(lost).as("acknowledged messages missing or different after the crash (of %d acknowledged)",
                    acked.size()).isEmpty();

            // The seqs handed out before the crash are taken: the next message follows them.
            Messages messages = second.getBean(Messages.class);
            for (UUID conversation : conversations) {
                long lastAcked = acked.stream().filter(message -> message.conversationId().equals(conversation))
                        .mapToLong(Acked::seq).max().orElseThrow();
                long next = messages.send(new SendMessage(ConversationId.of(conversation), author,
                        "after-" + conversation, "After the restart", null)).message().seq();
                assertThat(next).as("seq of the first message after the restart").isGreaterThan(lastAcked);
            }
        }
    }

    private static Void sendUntilTheDatabaseFails(Messages messages, UserId author, UUID conversation,
            String prefix, Queue<Acked> acked) {
        for (int i = 0; ; i++) {
            String clientMessageId = prefix + i;
            String text = "Message " + i + " of " + prefix;
            MessageView sent;
            try {
                sent = messages.send(new SendMessage(ConversationId.of(conversation), author, clientMessageId, text,
                        null)).message();
            } catch (RuntimeException databaseGone) {
                return null;
            }
            acked.add(new Acked(conversation, sent.id(), sent.seq(), clientMessageId, text));
        }
    }

    /** SIGKILL to the postmaster and every process under it, none of them given a chance to flush. */
    private static void killEveryProcessOf(Path postgresData) throws IOException {
        long postmasterPid = Long.parseLong(Files.readAllLines(postgresData.resolve("postmaster.pid")).getFirst()
                .strip());
        ProcessHandle postmaster = ProcessHandle.of(postmasterPid).orElseThrow();
        List<ProcessHandle> children = postmaster.descendants().toList();
        assertThat(children).as("the server's backends and background processes").isNotEmpty();
        postmaster.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(30)).until(() -> !postmaster.isAlive()
                && children.stream().noneMatch(ProcessHandle::isAlive));
    }

    private static ConfigurableApplicationContext start(Path postgresData) throws IOException {
        Files.createDirectories(postgresData.getParent());
        return new SpringApplicationBuilder(ChorusApplication.class)
                .profiles("test")
                .initializers(context -> context.getBeanFactory().registerSingleton("excludeTestClasses",
                        new EventPublicationRecoveryTest.ExcludeTestClasses()))
                .run("--server.port=0",
                        "--chorus.platform.embedded-database.data-directory=" + postgresData);
    }
}
