package io.chorus.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.ChorusApplication;
import io.chorus.chat.ChatEvents.MessagePosted;
import io.chorus.chat.ConversationId;
import io.chorus.chat.Conversations;
import io.chorus.chat.Messages;
import io.chorus.chat.SendMessage;
import io.chorus.identity.UserId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;

/**
 * An event handed to a listener in another module must survive that listener failing and the
 * application going down before it succeeded: the publication stays in the JDBC registry and
 * is delivered again once the application is back on the same database.
 */
class EventPublicationRecoveryTest {

    /** What the stand-in listener of "another module" received, across both application runs. */
    static final BlockingQueue<MessagePosted> RECEIVED = new LinkedBlockingQueue<>();
    static volatile boolean crashing;

    /** Stands in for a consumer such as audit or search, which later issues add. */
    static class DownstreamListener {
        @ApplicationModuleListener
        void on(MessagePosted posted) {
            if (crashing) {
                throw new IllegalStateException("simulated crash before the listener completed");
            }
            RECEIVED.add(posted);
        }
    }

    @Test
    void messagePostedBeforeACrashReachesTheListenerAfterRestart(@TempDir Path dataDirectory) throws Exception {
        long messageId;
        crashing = true;
        try (ConfigurableApplicationContext first = start(dataDirectory)) {
            UserId author = UserId.of(UUID.randomUUID());
            var group = first.getBean(Conversations.class).createGroup(author, "Incident room", List.of());
            messageId = first.getBean(Messages.class).send(new SendMessage(ConversationId.of(group.id()), author,
                    "crash-1", "Deploy is blocked", null)).message().id();

            JdbcClient jdbc = first.getBean(JdbcClient.class);
            awaitIncompletePublications(jdbc, 1);
            assertThat(RECEIVED).isEmpty();
        }

        crashing = false;
        try (ConfigurableApplicationContext second = start(dataDirectory)) {
            MessagePosted redelivered = RECEIVED.poll(30, TimeUnit.SECONDS);
            assertThat(redelivered).as("the event published before the crash").isNotNull();
            assertThat(redelivered.messageId()).isEqualTo(messageId);
            assertThat(redelivered.text()).isEqualTo("Deploy is blocked");
            awaitIncompletePublications(second.getBean(JdbcClient.class), 0);
            assertThat(RECEIVED).as("delivered once, not again").isEmpty();
        }
    }

    private static void awaitIncompletePublications(JdbcClient jdbc, int expected) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jdbc.sql(
                        "SELECT count(*) FROM event_publication WHERE completion_date IS NULL "
                                + "AND listener_id LIKE '%DownstreamListener%'")
                .query(Long.class).single()).as("incomplete publications for the downstream listener")
                .isEqualTo(expected));
    }

    static ConfigurableApplicationContext start(Path dataDirectory) throws IOException {
        Files.createDirectories(dataDirectory);
        return new SpringApplicationBuilder(ChorusApplication.class, DownstreamListener.class)
                .profiles("test")
                .initializers(context -> context.getBeanFactory()
                        .registerSingleton("excludeTestClasses", new ExcludeTestClasses()))
                // Arguments, not default properties: the test profile's own settings must not win.
                .run("--server.port=0",
                        "--chorus.platform.embedded-database.data-directory=" + dataDirectory.resolve("pg"),
                        "--chorus.platform.events.redelivery-interval=200ms",
                        "--chorus.platform.events.min-failure-age=0s");
    }

    /** Keeps other tests' configuration classes out of this hand-started application. */
    static class ExcludeTestClasses extends TypeExcludeFilter {
        @Override
        public boolean match(MetadataReader reader, MetadataReaderFactory factory) throws IOException {
            return reader.getResource().getURL().toString().contains("/test-classes/");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ExcludeTestClasses;
        }

        @Override
        public int hashCode() {
            return ExcludeTestClasses.class.hashCode();
        }
    }
}
