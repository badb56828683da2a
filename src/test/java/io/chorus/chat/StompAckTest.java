package io.chorus.chat;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.StompTestClient;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * What the sender of a message is told about it: one message carries one timestamp, whether it
 * arrives in the first acknowledgement, in the acknowledgement of a retry or in the history.
 */
@ChorusIntegrationTest
class StompAckTest {

    @Autowired
    TestClients clients;

    @Test
    void theFirstAckTheDuplicateAckAndTheHistoryShowOneSentAt() {
        TestUser alice = clients.user("alice");
        String group = group(alice, "Timestamps");
        JsonNode first;
        JsonNode duplicate;
        try (StompTestClient phone = clients.stomp(alice)) {
            phone.sendMessage(group, "when-1", "What time is it?");
            first = phone.awaitAck();
            phone.sendMessage(group, "when-1", "What time is it?");
            duplicate = phone.awaitAck();
        }
        assertThat(duplicate.get("duplicate").asBoolean()).isTrue();
        JsonNode history = clients.rest(alice).get("/api/v1/conversations/" + group + "/messages").ok().json();
        String sentAt = first.get("sentAt").asString();
        assertThat(duplicate.get("sentAt").asString()).as("the duplicate ack's sentAt").isEqualTo(sentAt);
        assertThat(history.at("/items/0/createdAt").asString()).as("the history's createdAt").isEqualTo(sentAt);
    }

    private String group(TestUser owner, String name) {
        return clients.rest(owner).post("/api/v1/conversations/groups",
                body("name", name, "memberIds", List.of())).status(201).json().get("id").asString();
    }
}
