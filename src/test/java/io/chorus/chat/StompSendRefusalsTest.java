package io.chorus.chat;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.platform.ProblemCodes;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RawStompClient;
import io.chorus.support.RawStompClient.Frame;
import io.chorus.support.StompTestClient;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A SEND the handlers refuse is answered on the sender's error queue with a stable code, the
 * destination and the client message id, stores nothing, and leaves the session usable.
 */
@ChorusIntegrationTest
class StompSendRefusalsTest {

    @Autowired
    TestClients clients;

    @Test
    void sendingToAConversationOneIsNotInIsRefusedAndStoresNothing() {
        TestUser alice = clients.user("alice");
        TestUser mallory = clients.user("mallory");
        String group = group(alice, "Members only");
        String destination = "/app/conversations/" + group + "/messages";

        try (StompTestClient aliceLive = clients.stomp(alice); StompTestClient malloryLive = clients.stomp(mallory)) {
            malloryLive.sendMessage(group, "m-1", "let me in");

            JsonNode error = malloryLive.awaitError();
            assertThat(error.get("code").asString()).isEqualTo(ChatProblems.NOT_A_MEMBER);
            assertThat(error.get("status").asInt()).isEqualTo(403);
            assertThat(error.get("destination").asString()).isEqualTo(destination);
            assertThat(error.get("clientMessageId").asString()).isEqualTo("m-1");
            assertThat(malloryLive.drainAcks()).as("acks for a refused send").isEmpty();
            assertThat(aliceLive.drainEvents()).as("events at the group's member").isEmpty();

            malloryLive.sendMessage(UUID.randomUUID(), "m-2", "anyone there?");
            JsonNode missing = malloryLive.awaitError();
            assertThat(missing.get("code").asString()).isEqualTo(ChatProblems.CONVERSATION_NOT_FOUND);
            assertThat(missing.get("clientMessageId").asString()).isEqualTo("m-2");

            malloryLive.sendMessage("not-a-uuid", "m-3", "hello?");
            JsonNode badId = malloryLive.awaitError();
            assertThat(badId.get("code").asString()).isEqualTo(ProblemCodes.VALIDATION_FAILED);
            assertThat(badId.get("clientMessageId").asString()).isEqualTo("m-3");
        }
        assertNothingStored(alice, group);
    }

    @Test
    void anInvalidSendIsRefusedWithItsCodeStoresNothingAndTheSessionCarriesOn() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = group(alice, "Validation", bob);
        String destination = "/app/conversations/" + group + "/messages";

        try (StompTestClient aliceLive = clients.stomp(alice); StompTestClient bobLive = clients.stomp(bob)) {
            Map<String, Object> unknownField = new LinkedHashMap<>();
            unknownField.put("clientMessageId", "v-1");
            unknownField.put("text", "hello");
            unknownField.put("colour", "red");
            aliceLive.send(destination, unknownField);
            assertRefused(aliceLive.awaitError(), ProblemCodes.MALFORMED_REQUEST, destination, "v-1");

            aliceLive.send(destination, Map.of("clientMessageId", "v-2", "text", "  \n "));
            assertRefused(aliceLive.awaitError(), ProblemCodes.VALIDATION_FAILED, destination, "v-2");

            aliceLive.send(destination, Map.of("clientMessageId", "v-3", "text", "x".repeat(4001)));
            assertRefused(aliceLive.awaitError(), ProblemCodes.VALIDATION_FAILED, destination, "v-3");

            aliceLive.send(destination, Map.of("text", "who am I?"));
            assertRefused(aliceLive.awaitError(), ProblemCodes.VALIDATION_FAILED, destination, null);

            aliceLive.send(destination, Map.of("clientMessageId", "has spaces", "text", "hi"));
            assertRefused(aliceLive.awaitError(), ProblemCodes.VALIDATION_FAILED, destination, "has spaces");

            aliceLive.send(destination, Map.of("clientMessageId", "v-4", "text", "a reply", "replyToMessageId", 999_999_999));
            assertRefused(aliceLive.awaitError(), ChatProblems.MESSAGE_NOT_FOUND, destination, "v-4");

            assertThat(aliceLive.drainAcks()).as("acks for refused sends").isEmpty();
            assertThat(bobLive.drainEvents()).as("events at the other member").isEmpty();
            assertNothingStored(alice, group);

            // Nothing refused took a seq: the next good message is the first.
            aliceLive.sendMessage(group, "v-ok", "finally");
            assertThat(aliceLive.awaitAck().get("seq").asLong()).isEqualTo(1);
            assertThat(bobLive.awaitEvent("message.posted").at("/message/text").asString()).isEqualTo("finally");
        }
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedAsMalformed() {
        TestUser alice = clients.user("alice");
        String group = group(alice, "Garbage");
        String destination = "/app/conversations/" + group + "/messages";

        try (RawStompClient raw = clients.raw().connected(alice.token())) {
            raw.subscribe("errors", "/user/queue/errors");
            assertThat(raw.awaitFrame().command()).isEqualTo("RECEIPT");
            raw.subscribe("acks", "/user/queue/acks");
            assertThat(raw.awaitFrame().command()).isEqualTo("RECEIPT");

            raw.sendJson(destination, "{\"clientMessageId\": \"g-1\", \"text\": ");
            Frame error = raw.awaitFrame();
            assertThat(error.command()).isEqualTo("MESSAGE");
            assertThat(error.header("destination")).isEqualTo("/user/queue/errors");
            assertThat(error.json().get("code").asString()).isEqualTo(ProblemCodes.MALFORMED_REQUEST);
            assertThat(error.json().get("destination").asString()).isEqualTo(destination);

            raw.sendJson(destination, "[\"clientMessageId\", \"g-2\"]");
            assertThat(raw.awaitFrame().json().get("code").asString()).isEqualTo(ProblemCodes.MALFORMED_REQUEST);

            assertThat(raw.isOpen()).isTrue();
            assertThat(raw.drainFrames()).isEmpty();
        }
        assertNothingStored(alice, group);
    }

    private static void assertRefused(JsonNode error, String code, String destination, String clientMessageId) {
        assertThat(error.get("code").asString()).as("code of %s", error).isEqualTo(code);
        assertThat(error.get("status").asInt()).as("status of %s", error).isBetween(400, 499);
        assertThat(error.get("destination").asString()).isEqualTo(destination);
        if (clientMessageId == null) {
            assertThat(error.path("clientMessageId").isString()).as("clientMessageId of %s", error).isFalse();
        } else {
            assertThat(error.get("clientMessageId").asString()).isEqualTo(clientMessageId);
        }
    }

    private String group(TestUser owner, String name, TestUser... members) {
        return clients.rest(owner).post("/api/v1/conversations/groups",
                body("name", name, "memberIds", Arrays.stream(members).map(TestUser::id).toList()))
                .status(201).json().get("id").asString();
    }

    private void assertNothingStored(TestUser viewer, String group) {
        JsonNode history = clients.rest(viewer).get("/api/v1/conversations/" + group + "/messages").ok().json();
        assertThat(history.get("items")).as("stored messages").isEmpty();
        assertThat(history.get("lastSeq").asLong()).as("last seq").isZero();
    }
}
