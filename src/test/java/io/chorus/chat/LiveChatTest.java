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

@ChorusIntegrationTest
class LiveChatTest {

    @Autowired
    TestClients clients;

    @Test
    void twoMembersOfAGroupSeeEachOthersMessagesLive() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = clients.rest(alice).post("/api/v1/conversations/groups",
                body("name", "Phoenix", "memberIds", List.of(bob.id()))).status(201).json().get("id").asString();

        try (StompTestClient aliceLive = clients.stomp(alice); StompTestClient bobLive = clients.stomp(bob)) {
            aliceLive.sendMessage(group, "a-1", "早上好 Bob");
            JsonNode ack = aliceLive.awaitAck();
            assertThat(ack.get("clientMessageId").asString()).isEqualTo("a-1");
            assertThat(ack.get("seq").asLong()).isEqualTo(1);
            assertThat(ack.get("duplicate").asBoolean()).isFalse();

            JsonNode atBob = bobLive.awaitEvent("message.posted");
            assertThat(atBob.at("/message/text").asString()).isEqualTo("早上好 Bob");
            assertThat(atBob.at("/message/senderId").asString()).isEqualTo(alice.id().toString());
            assertThat(atBob.at("/message/seq").asLong()).isEqualTo(1);

            bobLive.sendMessage(group, "b-1", "Morning!");
            assertThat(bobLive.awaitAck().get("seq").asLong()).isEqualTo(2);
            assertThat(aliceLive.awaitEvent(event -> event.at("/message/seq").asLong() == 2)
                    .at("/message/text").asString()).isEqualTo("Morning!");
        }
    }
}
