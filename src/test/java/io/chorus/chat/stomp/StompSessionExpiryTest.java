package io.chorus.chat.stomp;

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
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.bean.override.convention.TestBean;
import tools.jackson.databind.JsonNode;

/**
 * A STOMP session lives no longer than its token: at {@code exp} it gets an ERROR frame
 * TOKEN_EXPIRED and is closed. A fresh token of the same user sent to {@code /app/token}
 * moves that end; a token that is not valid is refused and the end stays; a token of another
 * user, or one without every role the session has, ends the session.
 *
 * <p>Nobody waits for a token to run out: Chorus' clock is moved past {@code exp} and the
 * deadlines that are due are run at once, as the timer (which keeps that clock) would run them.
 */
@ChorusIntegrationTest
class StompSessionExpiryTest {

    private static final Duration HOUR = Duration.ofHours(1);

    @TestBean(name = "clock", methodName = "io.chorus.support.AdjustableClock#standIn")
    Clock clock;

    @Autowired
    TestClients clients;

    @Autowired
    SessionExpiry expiry;

    @AfterEach
    void backToNow() {
        ((AdjustableClock) clock).reset();
    }

    @Test
    void aSessionIsClosedWithTokenExpiredWhenItsTokenRunsOut() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = group(alice, "Short-lived", bob);

        try (RawStompClient raw = clients.raw().connected(clients.token(alice, HOUR))) {
            subscribe(raw, "acks", "/user/queue/acks");
            send(raw, group, "before-exp");
            assertThat(raw.awaitFrame().json().get("clientMessageId").asString()).isEqualTo("before-exp");

            pastExpiry(raw, HOUR);
            Frame error = raw.awaitErrorFrame();
            assertThat(error.header("message")).as("ERROR frame %s", error).isEqualTo(ProblemCodes.TOKEN_EXPIRED);
            assertThat(error.json().get("code").asString()).isEqualTo(ProblemCodes.TOKEN_EXPIRED);
            assertThat(error.json().get("status").asInt()).isEqualTo(401);
            raw.awaitClosed();
        }
        assertThat(storedClientMessageIds(bob, group)).containsExactly("before-exp");
    }

    @Test
    void aFreshTokenOfTheSameUserKeepsTheSessionOpenPastTheFirstExpiry() {
        TestUser alice = clients.user("alice");
        String group = group(alice, "Refreshed");

        try (RawStompClient raw = clients.raw().connected(clients.token(alice, HOUR))) {
            subscribe(raw, "acks", "/user/queue/acks");
            refresh(raw, clients.token(alice, HOUR.multipliedBy(3)), "fresh-1");
            Frame receipt = raw.awaitFrame();
            assertThat(receipt.command()).as("answer to the refresh: %s", receipt).isEqualTo("RECEIPT");
            assertThat(receipt.header("receipt-id")).isEqualTo("fresh-1");

            pastExpiry(raw, HOUR);
            send(raw, group, "after-first-exp");
            Frame ack = raw.awaitFrame();
            assertThat(ack.command()).as("frame %s", ack).isEqualTo("MESSAGE");
            assertThat(ack.json().get("clientMessageId").asString()).isEqualTo("after-first-exp");
            assertThat(raw.isOpen()).isTrue();
        }
    }

    @Test
    void anInvalidFreshTokenIsRefusedAndTheSessionStillEndsWithItsOwnToken() {
        TestUser alice = clients.user("alice");

        try (RawStompClient raw = clients.raw().connected(clients.token(alice, HOUR))) {
            subscribe(raw, "errors", "/user/queue/errors");
            String expired = clients.token(alice.username(), List.of("employee"), Instant.now().minus(Duration.ofHours(2)));
            refresh(raw, expired, "stale-1");
            Frame refused = raw.awaitFrame();
            assertThat(refused.command()).as("frame %s", refused).isEqualTo("MESSAGE");
            assertThat(refused.json().get("code").asString()).isEqualTo(ProblemCodes.UNAUTHENTICATED);
            assertThat(refused.json().get("destination").asString()).isEqualTo("/app/token");

            refresh(raw, clients.token(alice, claims -> claims.audience(List.of("timesheets"))
                    .expiresAt(Instant.now().plus(HOUR.multipliedBy(3)))), "elsewhere-1");
            assertThat(raw.awaitFrame().json().get("code").asString()).isEqualTo(ProblemCodes.UNAUTHENTICATED);

            pastExpiry(raw, HOUR);
            Frame error = raw.awaitErrorFrame();
            assertThat(error.header("message")).as("ERROR frame %s", error).isEqualTo(ProblemCodes.TOKEN_EXPIRED);
            raw.awaitClosed();
        }
    }

    @Test
    void aTokenExpiredSecondsAgoOpensNothingAndRefreshesNothing() {
        TestUser alice = clients.user("alice");
        // Within the decoder's allowance for clock skew, but past its exp all the same.
        Instant now = Instant.now();
        String justExpired = clients.token(alice,
                claims -> claims.issuedAt(now.minusSeconds(70)).expiresAt(now.minusSeconds(10)));

        try (RawStompClient raw = clients.raw()) {
            Frame answer = raw.connect(justExpired);
            assertThat(answer.command()).as("answer to CONNECT: %s", answer).isEqualTo("ERROR");
            assertThat(answer.header("message")).isEqualTo(ProblemCodes.UNAUTHENTICATED);
            raw.awaitClosed();
        }
        try (RawStompClient raw = clients.raw().connected(clients.token(alice, HOUR))) {
            subscribe(raw, "errors", "/user/queue/errors");
            refresh(raw, justExpired, "just-expired-1");
            assertThat(raw.awaitFrame().json().get("code").asString()).isEqualTo(ProblemCodes.UNAUTHENTICATED);
            pastExpiry(raw, HOUR);
            assertThat(raw.awaitErrorFrame().header("message")).isEqualTo(ProblemCodes.TOKEN_EXPIRED);
            raw.awaitClosed();
        }
    }

    @Test
    void aTokenOfAnotherUserEndsTheSession() {
        TestUser alice = clients.user("alice");
        TestUser mallory = clients.user("mallory");

        try (RawStompClient raw = clients.raw().connected(alice.token())) {
            refresh(raw, mallory.token(), "swap-1");
            Frame error = raw.awaitErrorFrame();
            assertThat(error.header("message")).as("ERROR frame %s", error).isEqualTo(ProblemCodes.FORBIDDEN);
            assertThat(error.json().get("destination").asString()).isEqualTo("/app/token");
            raw.awaitClosed();
        }
    }

    @Test
    void aTokenWithoutARoleTheSessionHasEndsTheSession() {
        TestUser admin = clients.orgAdmin();

        try (RawStompClient raw = clients.raw().connected(admin.token())) {
            subscribe(raw, "errors", "/user/queue/errors");
            // The same user, after an administrator took org_admin away in the identity provider.
            refresh(raw, clients.token(admin, claims -> claims.claim("realm_access", Map.of("roles", List.of("employee")))),
                    "demoted-1");
            Frame error = raw.awaitErrorFrame();
            assertThat(error.header("message")).as("ERROR frame %s", error).isEqualTo(ProblemCodes.FORBIDDEN);
            assertThat(error.json().get("status").asInt()).isEqualTo(403);
            assertThat(error.json().get("destination").asString()).isEqualTo("/app/token");
            raw.awaitClosed();
        }
    }

    @Test
    void aTokenWithMoreRolesThanTheSessionIsTaken() {
        TestUser alice = clients.user("alice");

        try (RawStompClient raw = clients.raw().connected(alice.token())) {
            refresh(raw, clients.token(alice,
                    claims -> claims.claim("realm_access", Map.of("roles", List.of("employee", "org_admin")))), "promoted-1");
            Frame receipt = raw.awaitFrame();
            assertThat(receipt.command()).as("answer to the refresh: %s", receipt).isEqualTo("RECEIPT");
            assertThat(raw.isOpen()).isTrue();
        }
    }

    @Test
    void aRefreshBeforeConnectIsUnauthenticated() {
        TestUser alice = clients.user("alice");

        try (RawStompClient raw = clients.raw()) {
            refresh(raw, alice.token(), "early-1");
            Frame error = raw.awaitErrorFrame();
            assertThat(error.header("message")).as("ERROR frame %s", error).isEqualTo(ProblemCodes.UNAUTHENTICATED);
            raw.awaitClosed();
        }
    }

    /** Moves Chorus' clock past a token that expires {@code lifetime} from now, and runs what is due. */
    private void pastExpiry(RawStompClient raw, Duration lifetime) {
        raw.settled();
        ((AdjustableClock) clock).advance(lifetime.plusMinutes(1));
        expiry.expireDue();
    }

    private static void subscribe(RawStompClient raw, String id, String destination) {
        raw.subscribe(id, destination);
        Frame receipt = raw.awaitFrame();
        assertThat(receipt.command()).as("answer to SUBSCRIBE %s: %s", destination, receipt).isEqualTo("RECEIPT");
    }

    private static void send(RawStompClient raw, String group, String clientMessageId) {
        raw.sendJson("/app/conversations/" + group + "/messages",
                "{\"clientMessageId\":\"" + clientMessageId + "\",\"text\":\"hello\"}");
    }

    private static void refresh(RawStompClient raw, String token, String receipt) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("destination", "/app/token");
        headers.put("content-type", "application/json");
        headers.put("receipt", receipt);
        raw.send("SEND", headers, "{\"token\":\"" + token + "\"}");
    }

    private String group(TestUser owner, String name, TestUser... members) {
        return clients.rest(owner).post("/api/v1/conversations/groups",
                body("name", name, "memberIds", Arrays.stream(members).map(TestUser::id).toList()))
                .status(201).json().get("id").asString();
    }

    private List<String> storedClientMessageIds(TestUser viewer, String group) {
        JsonNode history = clients.rest(viewer).get("/api/v1/conversations/" + group + "/messages").ok().json();
        return history.get("items").valueStream().map(item -> item.get("clientMessageId").asString()).toList();
    }
}
