package io.chorus.chat;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.platform.ProblemCodes;
import io.chorus.support.AdjustableClock;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RawStompClient;
import io.chorus.support.RawStompClient.Frame;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.bean.override.convention.TestBean;
import tools.jackson.databind.JsonNode;

/**
 * Once a session's token has expired, nothing it sends is stored and nothing it subscribes to
 * is delivered, even before the timer that closes it has run. Chorus' clock is moved past the
 * token's expiry while the timer, which keeps real time, is still an hour away: a timer that
 * runs late.
 */
@ChorusIntegrationTest
class StompLateExpiryTest {

    @TestBean(name = "clock", methodName = "io.chorus.support.AdjustableClock#standIn")
    Clock clock;

    @Autowired
    TestClients clients;

    @AfterEach
    void backToNow() {
        ((AdjustableClock) clock).reset();
    }

    @Test
    void aSendAfterTheTokenExpiredIsRefusedAndStoresNothingWhileTheTimerIsLate() {
        TestUser alice = clients.user("alice");
        String group = clients.rest(alice).post("/api/v1/conversations/groups",
                body("name", "Late timer", "memberIds", List.of())).status(201).json().get("id").asString();
        String destination = "/app/conversations/" + group + "/messages";

        try (RawStompClient raw = clients.raw().connected(clients.token(alice, Duration.ofHours(1)))) {
            raw.subscribe("acks", "/user/queue/acks");
            assertThat(raw.awaitFrame().command()).isEqualTo("RECEIPT");
            raw.sendJson(destination, "{\"clientMessageId\":\"in-time\",\"text\":\"hello\"}");
            assertThat(raw.awaitFrame().json().get("clientMessageId").asString()).isEqualTo("in-time");

            ((AdjustableClock) clock).advance(Duration.ofHours(2));
            raw.sendJson(destination, "{\"clientMessageId\":\"too-late\",\"text\":\"hello\"}");

            Frame error = raw.awaitErrorFrame();
            assertThat(error.header("message")).as("ERROR frame %s", error).isEqualTo(ProblemCodes.TOKEN_EXPIRED);
            assertThat(error.json().get("destination").asString()).isEqualTo(destination);
            raw.awaitClosed();
        }
        JsonNode history = clients.rest(alice).get("/api/v1/conversations/" + group + "/messages").ok().json();
        assertThat(history.get("items").valueStream().map(item -> item.get("clientMessageId").asString()))
                .containsExactly("in-time");
    }
}
