package io.chorus.chat.stomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.identity.BearerTokenAuthenticator;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.StompTestClient;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeTypeUtils;
import tools.jackson.databind.JsonNode;

/**
 * An acknowledgement or error event goes to the session that sent the frame, or to nobody: a
 * client that closed before its answer left must not have it delivered to the same user's
 * other devices (Spring's {@code @SendToUser} falls back to all of them once the session is gone).
 */
@ChorusIntegrationTest
class SessionRepliesTest {

    @Autowired
    TestClients clients;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    BearerTokenAuthenticator authenticator;

    @Autowired
    @Qualifier("clientInboundChannel")
    MessageChannel clientInboundChannel;

    @Test
    void theAnswersOfASessionThatHasClosedReachNoOtherDeviceOfItsUser() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = clients.rest(alice).post("/api/v1/conversations/groups",
                Map.of("name", "Replies", "memberIds", List.of(bob.id()))).status(201).json().get("id").asString();

        try (StompTestClient laptop = clients.stomp(alice)) {
            // A SEND and a malformed SEND from alice's phone, handled after the phone has gone.
            String phone = "phone-" + UUID.randomUUID();
            String sent = "sent-from-the-phone-" + UUID.randomUUID();
            clientInboundChannel.send(frameFrom(phone, alice, group,
                    "{\"clientMessageId\":\"" + sent + "\",\"text\":\"from the phone\"}"));
            clientInboundChannel.send(frameFrom(phone, alice, group, "{\"clientMessageId\":"));
            await().untilAsserted(() -> assertThat(jdbc.sql("SELECT count(*) FROM chat.message WHERE client_message_id = ?")
                    .param(sent).query(Long.class).single()).as("the phone's message is stored").isEqualTo(1));

            // The laptop's own send: its ack comes after anything addressed to it before.
            String own = "sent-from-the-laptop-" + UUID.randomUUID();
            laptop.sendMessage(group, own, "from the laptop");
            JsonNode ack = laptop.awaitAck();

            assertThat(ack.get("clientMessageId").asString()).as("the first ack the laptop gets").isEqualTo(own);
            assertThat(laptop.drainAcks()).isEmpty();
            assertThat(laptop.drainErrors()).as("the phone's error event").isEmpty();
        }
    }

    private Message<byte[]> frameFrom(String sessionId, TestUser user, String group,
            String body) {
        StompHeaderAccessor headers = StompHeaderAccessor.create(StompCommand.SEND);
        headers.setSessionId(sessionId);
        headers.setSessionAttributes(new ConcurrentHashMap<>());
        headers.setUser(authenticator.authenticate(user.token()).authentication());
        headers.setDestination("/app/conversations/" + group + "/messages");
        headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
        headers.setLeaveMutable(true);
        return MessageBuilder.createMessage(body.getBytes(StandardCharsets.UTF_8), headers.getMessageHeaders());
    }
}
