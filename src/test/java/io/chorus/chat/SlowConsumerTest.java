package io.chorus.chat;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.StalledStompClient;
import io.chorus.support.StompTestClient;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.test.context.TestPropertySource;

/**
 * A member whose client stops reading (a frozen tab) neither holds up the others in the group
 * nor stays connected: once a write to it has been stuck for {@code send-time-limit}, the
 * server closes its session, and everyone else keeps getting every message meanwhile.
 */
@ChorusIntegrationTest
@TestPropertySource(properties = {"chorus.chat.stomp.send-time-limit=1s", "chorus.chat.stomp.send-buffer-bytes=16384",
        "chorus.chat.send-budget.rate=100000", "chorus.chat.send-budget.burst=100000"})
class SlowConsumerTest {

    /** Far more than the socket buffers on both sides of a loopback connection hold. */
    private static final int MAX_MESSAGES = 2000;

    @Autowired
    TestClients clients;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    SimpUserRegistry sessions;

    @Test
    void aClientThatStopsReadingIsDisconnectedWithoutSlowingTheOthers() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser stalled = clients.user("stalled");
        String group = new ChatSetup(clients, jdbc).group(alice, bob, stalled);
        String text = "x".repeat(3000);

        try (StompTestClient bobLive = clients.stomp(bob);
                StalledStompClient frozen = StalledStompClient.connect(clients.port(), stalled.token())) {
            assertThat(sessions.getUser(stalled.id().toString())).as("the stalled user's session").isNotNull();
            int sent = 0;
            while (sessions.getUser(stalled.id().toString()) != null && sent < MAX_MESSAGES) {
                String id = "m-" + ++sent;
                clients.rest(alice).post(ChatSetup.messages(group), body("clientMessageId", id, "text", text))
                        .status(201);
                // Bob gets every message while the stalled session's writes back up.
                bobLive.awaitEvent(event -> "message.posted".equals(event.path("type").asString())
                        && id.equals(event.path("message").path("clientMessageId").asString()));
            }
            int messages = sent;
            // Cut off because its writes backed up, not at once for some other reason.
            assertThat(messages).as("messages sent before the stalled session was closed").isGreaterThan(3);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    sessions.getUser(stalled.id().toString())).as("the stalled session after %d messages", messages)
                    .isNull());

            // And after it is gone, live delivery carries on as before.
            clients.rest(alice).post(ChatSetup.messages(group), body("clientMessageId", "after", "text", "still here"))
                    .status(201);
            bobLive.awaitEvent(event -> "after".equals(event.path("message").path("clientMessageId").asString()));
        }
    }
}
