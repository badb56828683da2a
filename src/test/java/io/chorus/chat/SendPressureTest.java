package io.chorus.chat;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.platform.ProblemCodes;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.ConversationLock;
import io.chorus.support.RestApi;
import io.chorus.support.SmallSendLimits;
import io.chorus.support.StompTestClient;
import io.chorus.support.StompTestClient.ErrorFrame;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.messaging.simp.stomp.StompHeaders;
import tools.jackson.databind.JsonNode;

/**
 * Back-pressure on sends, with {@link SmallSendLimits}: past capacity a send is refused at once
 * with OVERLOADED (STOMP and REST) and, sent again with the same clientMessageId, stored exactly
 * once; one budget per user across sessions and REST; a cap on a user's sessions.
 */
@ChorusIntegrationTest
@SmallSendLimits
class SendPressureTest {

    @Autowired
    TestClients clients;
    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcClient jdbc;

    @Test
    void sendsThatCannotBeHandledInTimeAreRefusedAsOverloadedAndStoredOnceWhenSentAgain() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        ChatSetup setup = new ChatSetup(clients, jdbc);
        String group = setup.group(alice, bob);
        String destination = "/app/conversations/" + group + "/messages";

        try (StompTestClient laptop = clients.stomp(alice); StompTestClient phone = clients.stomp(alice)) {
            long queuedAt;
            try (ConversationLock lock = ConversationLock.hold(dataSource, UUID.fromString(group))) {
                // The one send slot is taken by a send the database holds up.
                laptop.sendMessage(group, "held", "held up by the lock");
                lock.awaitWaiters(1);
                // The laptop's next frame waits behind it: frames of a session are handled in order.
                queuedAt = System.nanoTime();
                laptop.sendMessage(group, "queued", "waits behind the held one");

                // Another session finds no free slot and is refused at once, not after the lock.
                phone.sendMessage(group, "phone", "from the phone");
                JsonNode refused = phone.awaitError();
                assertOverloaded(refused, "phone", destination);

                // So is a REST send, with Retry-After.
                RestApi.Response rest = clients.rest(bob).post(ChatSetup.messages(group),
                        body("clientMessageId", "rest", "text", "over REST")).problem(503, ProblemCodes.OVERLOADED);
                assertThat(rest.headers().getFirst("Retry-After")).isEqualTo("2");
                assertThat(laptop.drainAcks()).as("acks while the lock is held").isEmpty();

                await().until(() -> System.nanoTime() - queuedAt
                        > Duration.ofMillis(SmallSendLimits.MAX_QUEUE_WAIT_MS).toNanos());
            }

            // The held send goes through; the frame that queued too long is refused, unprocessed.
            assertThat(laptop.awaitAck().get("clientMessageId").asString()).isEqualTo("held");
            assertOverloaded(laptop.awaitError(), "queued", destination);
            assertThat(setup.storedMessages(group)).isEqualTo(1);

            // Sent again with the same clientMessageIds, each is stored exactly once.
            laptop.sendMessage(group, "queued", "waits behind the held one");
            JsonNode queued = laptop.awaitAck();
            assertThat(queued.get("clientMessageId").asString()).isEqualTo("queued");
            assertThat(queued.get("duplicate").asBoolean()).isFalse();
            phone.sendMessage(group, "phone", "from the phone");
            assertThat(phone.awaitAck().get("duplicate").asBoolean()).isFalse();
            clients.rest(bob).post(ChatSetup.messages(group), body("clientMessageId", "rest", "text", "over REST"))
                    .status(201);

            assertThat(setup.history(bob, group)).extracting(message -> message.get("clientMessageId").asString())
                    .containsExactly("held", "queued", "phone", "rest");
            assertThat(laptop.drainErrors()).isEmpty();
            assertThat(phone.drainErrors()).isEmpty();
        }
    }

    @Test
    void oneUserSharesOneBudgetAcrossSessionsAndRest() {
        TestUser carol = clients.user("carol");
        TestUser dave = clients.user("dave");
        ChatSetup setup = new ChatSetup(clients, jdbc);
        String group = setup.group(carol, dave);
        String destination = "/app/conversations/" + group + "/messages";
        int third = SmallSendLimits.BUDGET / 3;

        try (StompTestClient laptop = clients.stomp(carol); StompTestClient phone = clients.stomp(carol)) {
            for (int i = 1; i <= third; i++) {
                laptop.sendMessage(group, "laptop-" + i, "from the laptop");
                assertThat(laptop.awaitAck().get("clientMessageId").asString()).isEqualTo("laptop-" + i);
                phone.sendMessage(group, "phone-" + i, "from the phone");
                assertThat(phone.awaitAck().get("clientMessageId").asString()).isEqualTo("phone-" + i);
                setup.send(carol, group, "over REST " + i);
            }

            // The budget is spent, whichever way carol sends next.
            laptop.sendMessage(group, "laptop-over", "one too many");
            assertRateLimited(laptop.awaitError(), "laptop-over", destination);
            phone.sendMessage(group, "phone-over", "one too many");
            assertRateLimited(phone.awaitError(), "phone-over", destination);
            RestApi.Response rest = clients.rest(carol).post(ChatSetup.messages(group),
                    body("clientMessageId", "rest-over", "text", "one too many")).problem(429, ProblemCodes.RATE_LIMITED);
            assertThat(Long.parseLong(rest.headers().getFirst("Retry-After"))).isPositive();
            assertThat(setup.storedMessages(group)).isEqualTo(SmallSendLimits.BUDGET);

            // Another user's budget is their own.
            setup.send(dave, group, "dave is not limited by carol");
        }
    }

    @Test
    void aConnectPastTheSessionCapIsRefusedAndTheOpenSessionsCarryOn() {
        TestUser erin = clients.user("erin");
        TestUser frank = clients.user("frank");
        ChatSetup setup = new ChatSetup(clients, jdbc);
        String group = setup.group(erin, frank);
        StompHeaders connect = new StompHeaders();
        connect.add("Authorization", "Bearer " + erin.token());

        List<StompTestClient> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < SmallSendLimits.MAX_SESSIONS; i++) {
                open.add(clients.stomp(erin));
            }
            ErrorFrame refused = StompTestClient.connectExpectingRefusal(clients.wsUrl(), connect, clients.json());
            assertThat(refused.message()).isEqualTo(ProblemCodes.TOO_MANY_SESSIONS);
            assertThat(refused.body().get("code").asString()).isEqualTo(ProblemCodes.TOO_MANY_SESSIONS);
            assertThat(refused.body().get("status").asInt()).isEqualTo(429);

            // The open sessions are untouched.
            for (StompTestClient session : open) {
                String id = "still-open-" + open.indexOf(session);
                session.sendMessage(group, id, "still here");
                assertThat(session.awaitAck().get("clientMessageId").asString()).isEqualTo(id);
            }

            // Once one closes, a new one may open.
            open.removeFirst().close();
            CompletableFuture<StompTestClient> reopened = new CompletableFuture<>();
            await().untilAsserted(() -> reopened.complete(clients.stomp(erin)));
            open.add(reopened.join());
            assertThat(open.getLast().isConnected()).isTrue();
        } finally {
            open.forEach(StompTestClient::close);
        }
    }

    private static void assertOverloaded(JsonNode error, String clientMessageId, String destination) {
        assertThat(error.get("code").asString()).as("error: %s", error).isEqualTo(ProblemCodes.OVERLOADED);
        assertThat(error.get("status").asInt()).isEqualTo(503);
        assertThat(error.get("clientMessageId").asString()).isEqualTo(clientMessageId);
        assertThat(error.get("destination").asString()).isEqualTo(destination);
        assertThat(error.get("retryAfterMs").asLong()).isEqualTo(SmallSendLimits.RETRY_AFTER_MS);
    }

    private static void assertRateLimited(JsonNode error, String clientMessageId, String destination) {
        assertThat(error.get("code").asString()).as("error: %s", error).isEqualTo(ProblemCodes.RATE_LIMITED);
        assertThat(error.get("status").asInt()).isEqualTo(429);
        assertThat(error.get("clientMessageId").asString()).isEqualTo(clientMessageId);
        assertThat(error.get("destination").asString()).isEqualTo(destination);
        assertThat(error.get("retryAfterMs").asLong()).isPositive();
    }
}
