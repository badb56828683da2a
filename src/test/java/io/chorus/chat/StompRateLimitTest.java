package io.chorus.chat;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.platform.ProblemCodes;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.StompTestClient;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * With a low budget (2 sends a second, bursts of 3), a burst of SENDs from one session is partly
 * accepted; every other frame is refused with RATE_LIMITED, never silently dropped, and only
 * what was acknowledged is stored. (The budget is per user, shared by sessions and REST:
 * {@link SendPressureTest}.)
 */
@ChorusIntegrationTest
@TestPropertySource(properties = {"chorus.chat.send-budget.rate=2", "chorus.chat.send-budget.burst=3"})
class StompRateLimitTest {

    private static final int BURST = 3;

    @Autowired
    TestClients clients;

    @Test
    void aBurstBeyondTheLimitIsPartlyAcknowledgedAndTheRestRefusedNeverDropped() throws InterruptedException {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = group(alice, bob);
        String destination = "/app/conversations/" + group + "/messages";
        int frames = 12;
        List<String> sent = IntStream.rangeClosed(1, frames).mapToObj(i -> "burst-" + i).toList();

        try (StompTestClient aliceLive = clients.stomp(alice)) {
            sent.forEach(id -> aliceLive.sendMessage(group, id, "message " + id));

            List<JsonNode> acks = new ArrayList<>();
            List<JsonNode> refusals = new ArrayList<>();
            collectAnswers(aliceLive, acks, refusals, frames);

            assertThat(acks.size()).as("acks (at least the burst)").isGreaterThanOrEqualTo(BURST);
            assertThat(refusals).as("refusals").isNotEmpty();
            for (JsonNode refusal : refusals) {
                assertThat(refusal.get("code").asString()).isEqualTo(ProblemCodes.RATE_LIMITED);
                assertThat(refusal.get("status").asInt()).isEqualTo(429);
                assertThat(refusal.get("destination").asString()).isEqualTo(destination);
                assertThat(refusal.get("retryAfterMs").asLong()).as("retry hint").isPositive();
            }

            // Each refusal names the send it refused, so the client knows what to send again.
            Set<String> acked = clientMessageIds(acks);
            Set<String> refused = clientMessageIds(refusals);
            assertThat(acked).doesNotContainAnyElementsOf(refused);
            Set<String> answered = new HashSet<>(acked);
            answered.addAll(refused);
            assertThat(answered).containsExactlyInAnyOrderElementsOf(sent);

            assertThat(storedClientMessageIds(bob, group)).containsExactlyInAnyOrderElementsOf(acked);
            assertThat(acks).extracting(ack -> ack.get("seq").asLong())
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, acks.size()).boxed().toList());

            // A client that slows down gets every refused message through, each exactly once.
            for (String id : refused) {
                resendUntilAcknowledged(aliceLive, group, id);
            }
            assertThat(aliceLive.drainAcks()).as("acks beyond one per accepted resend").isEmpty();
            assertThat(aliceLive.drainErrors()).as("errors beyond one per refused resend").isEmpty();
            assertThat(storedClientMessageIds(bob, group)).containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    @Test
    void oneUsersSpentBudgetDoesNotHoldBackAnotherUser() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = group(alice, bob);

        try (StompTestClient aliceLive = clients.stomp(alice); StompTestClient bobLive = clients.stomp(bob)) {
            for (int i = 1; i <= BURST + 2; i++) {
                aliceLive.sendMessage(group, "alice-" + i, "from alice " + i);
            }
            for (int i = 0; i < BURST; i++) {
                aliceLive.awaitAck();
            }
            assertThat(aliceLive.awaitError().get("code").asString()).isEqualTo(ProblemCodes.RATE_LIMITED);

            bobLive.sendMessage(group, "bob-1", "from bob");
            assertThat(bobLive.awaitAck().get("clientMessageId").asString()).isEqualTo("bob-1");
            assertThat(bobLive.drainErrors()).isEmpty();
        }
    }

    /** Waits for one answer per frame sent, then makes sure no more follow. */
    private static void collectAnswers(StompTestClient client, List<JsonNode> acks, List<JsonNode> refusals,
            int expected) {
        for (int i = 0; i < expected; i++) {
            JsonNode answer = client.awaitAckOrError();
            (answer.has("messageId") ? acks : refusals).add(answer);
        }
        assertThat(client.drainAcks()).as("acks beyond one answer per frame").isEmpty();
        assertThat(client.drainErrors()).as("errors beyond one answer per frame").isEmpty();
    }

    private static void resendUntilAcknowledged(StompTestClient client, String group, String clientMessageId)
            throws InterruptedException {
        for (int attempt = 0; attempt < 40; attempt++) {
            client.sendMessage(group, clientMessageId, "message " + clientMessageId);
            JsonNode answer = client.awaitAckOrError();
            if (answer.has("messageId")) {
                assertThat(answer.get("clientMessageId").asString()).isEqualTo(clientMessageId);
                assertThat(answer.get("duplicate").asBoolean()).isFalse();
                return;
            }
            assertThat(answer.get("code").asString()).isEqualTo(ProblemCodes.RATE_LIMITED);
            assertThat(answer.get("clientMessageId").asString()).isEqualTo(clientMessageId);
            Thread.sleep(250); // a client backing off before it tries again
        }
        throw new AssertionError(clientMessageId + " was never accepted");
    }

    private static Set<String> clientMessageIds(List<JsonNode> answers) {
        Set<String> ids = new LinkedHashSet<>();
        answers.forEach(answer -> assertThat(ids.add(answer.path("clientMessageId").asString()))
                .as("clientMessageId answered twice: %s", answer).isTrue());
        return ids;
    }

    private List<String> storedClientMessageIds(TestUser viewer, String group) {
        JsonNode items = clients.rest(viewer).get("/api/v1/conversations/" + group + "/messages?limit=100").ok()
                .json().get("items");
        return StreamSupport.stream(items.spliterator(), false).map(item -> item.get("clientMessageId").asString())
                .toList();
    }

    private String group(TestUser owner, TestUser member) {
        return clients.rest(owner).post("/api/v1/conversations/groups",
                body("name", "Rate limited", "memberIds", List.of(member.id()))).status(201).json().get("id").asString();
    }
}
