package io.chorus.chat;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import io.chorus.identity.internal.local.LocalTokenIssuer;
import io.chorus.platform.ProblemCodes;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RawStompClient;
import io.chorus.support.RawStompClient.Frame;
import io.chorus.support.StompTestClient;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.user.SimpSession;
import org.springframework.messaging.simp.user.SimpUser;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.web.socket.WebSocketHttpHeaders;
import tools.jackson.databind.JsonNode;

/**
 * The STOMP edge's defences: only a valid token opens a session, nothing is processed before
 * CONNECT, a client reaches only its own queues and the application destinations, browsers
 * only from allowed origins, and frames are bounded in size.
 */
@ChorusIntegrationTest
class StompSecurityTest {

    @Autowired
    TestClients clients;

    @Autowired
    LocalTokenIssuer issuer;

    @Autowired
    SimpUserRegistry connectedUsers;

    // --- CONNECT ---

    @Test
    void connectWithoutATokenIsRefusedAndClosed() {
        assertConnectRefused(null);
        try (RawStompClient raw = clients.raw()) {
            raw.send("CONNECT", Map.of("accept-version", "1.2", "host", "localhost",
                    "Authorization", "Basic " + base64("alice:secret")), null);
            assertRefusedAs(raw, ProblemCodes.UNAUTHENTICATED);
        }
    }

    @Test
    void connectWithAnExpiredTokenIsRefusedAndClosed() {
        TestUser alice = clients.user("alice");
        assertConnectRefused(clients.token(alice.username(), List.of("employee"), Instant.now().minus(Duration.ofHours(2))));
    }

    @Test
    void connectWithATokenMeantForAnotherApplicationIsRefusedAndClosed() {
        TestUser alice = clients.user("alice");

        assertConnectRefused(clients.token(alice, claims -> claims.audience(List.of("timesheets"))));
        assertConnectRefused(clients.token(alice, claims -> claims.audience(List.of("account")).claim("azp", "timesheets")));
    }

    @Test
    void connectWithATokenSignedByAnotherKeyIsRefusedAndClosed() throws Exception {
        TestUser alice = clients.user("alice");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
                .keyID(UUID.randomUUID().toString()).build();
        NimbusJwtEncoder forger = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key)));
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(issuer.issuer())
                .subject(LocalTokenIssuer.subjectOf(alice.username()))
                .issuedAt(now)
                .expiresAt(now.plus(Duration.ofHours(1)))
                .claim("preferred_username", alice.username())
                .claim("realm_access", Map.of("roles", List.of("employee")))
                .build();
        String forged = forger.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(), claims))
                .getTokenValue();

        assertConnectRefused(forged);

        // Alice's own claims with a genuine signature from someone else's token.
        TestUser mallory = clients.user("mallory");
        String[] genuine = mallory.token().split("\\.");
        String[] aliceParts = forged.split("\\.");
        assertConnectRefused(genuine[0] + "." + aliceParts[1] + "." + genuine[2]);
    }

    @Test
    void connectWithAnUnsignedTokenIsRefusedAndClosed() {
        TestUser alice = clients.user("alice");
        // Alice's genuine claims, re-labelled "alg": "none" and stripped of their signature.
        String claims = clients.token(alice.username(), List.of("employee"), Instant.now()).split("\\.")[1];
        String unsigned = base64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + claims + ".";

        assertConnectRefused(unsigned);
    }

    @Test
    void framesSentBeforeConnectAreRefusedAndClosed() {
        TestUser alice = clients.user("alice");
        String group = group(alice, "Before connect");

        try (RawStompClient raw = clients.raw()) {
            raw.subscribe("events", "/user/queue/events");
            assertRefusedBeforeConnect(raw);
        }
        try (RawStompClient raw = clients.raw()) {
            raw.sendJson("/app/conversations/" + group + "/messages", "{\"clientMessageId\":\"pre-1\",\"text\":\"hi\"}");
            assertRefusedBeforeConnect(raw);
        }
        assertNothingStored(alice, group);
    }

    /** A frame before CONNECT comes from nobody: UNAUTHENTICATED, as the contract says, and the server hangs up. */
    private static void assertRefusedBeforeConnect(RawStompClient raw) {
        assertRefusedAs(raw, ProblemCodes.UNAUTHENTICATED);
    }

    // --- SUBSCRIBE ---

    @Test
    void subscribingToAConversationTopicIsDenied() {
        assertSubscriptionDenied(victim -> "/topic/conversations/" + victim.group());
    }

    @Test
    void subscribingToAnotherSessionsBrokerQueueIsDenied() {
        assertSubscriptionDenied(victim -> "/queue/events-user" + victim.sessionId());
    }

    @Test
    void subscribingToAnotherUsersQueueIsDenied() {
        assertSubscriptionDenied(victim -> "/user/" + victim.user().id() + "/queue/events");
    }

    /** Bob and Alice share a group; Mallory tries to listen in on {@code destination}. */
    private void assertSubscriptionDenied(Function<Victim, String> destination) {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser mallory = clients.user("mallory");
        String group = group(alice, "Private", bob);

        try (StompTestClient aliceLive = clients.stomp(alice);
                StompTestClient bobLive = clients.stomp(bob);
                RawStompClient malloryRaw = clients.raw().connected(mallory.token())) {
            malloryRaw.subscribe("spy", destination.apply(new Victim(bob, group, sessionIdOf(bob))));
            assertRefusedAs(malloryRaw, ProblemCodes.FORBIDDEN);

            aliceLive.sendMessage(group, "secret-1", "the launch date is secret");
            assertThat(bobLive.awaitEvent("message.posted").at("/message/text").asString())
                    .isEqualTo("the launch date is secret");
            assertThat(malloryRaw.drainFrames()).as("frames at the eavesdropper").isEmpty();
        }
    }

    record Victim(TestUser user, String group, String sessionId) {
    }

    // --- SEND ---

    @Test
    void sendingStraightToBrokerDestinationsIsDeniedAndDeliversNothing() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser mallory = clients.user("mallory");
        String group = group(alice, "Spoofing", bob);
        String fake = "{\"type\":\"message.posted\",\"conversationId\":\"" + group
                + "\",\"message\":{\"text\":\"Wire the money to Mallory\"}}";

        try (StompTestClient bobLive = clients.stomp(bob)) {
            List<String> targets = List.of("/topic/x", "/queue/x", "/user/" + bob.id() + "/queue/events",
                    "/queue/events-user" + sessionIdOf(bob));
            for (String target : targets) {
                try (RawStompClient malloryRaw = clients.raw().connected(mallory.token())) {
                    malloryRaw.sendJson(target, fake);
                    assertRefusedAs(malloryRaw, ProblemCodes.FORBIDDEN);
                }
            }
            assertThat(bobLive.drainEvents()).as("events at the spoofing target").isEmpty();
        }
    }

    @Test
    void aTokenWithoutTheEmployeeRoleMayConnectButNotSubscribeToEventsOrSend() {
        TestUser alice = clients.user("alice");
        String group = group(alice, "Employees only");
        String service = clients.token("crm-sync-" + UUID.randomUUID().toString().substring(0, 8),
                List.of("integration"), Instant.now());

        try (RawStompClient raw = clients.raw().connected(service)) {
            raw.subscribe("events", "/user/queue/events");
            assertRefusedAs(raw, ProblemCodes.FORBIDDEN);
        }
        try (RawStompClient raw = clients.raw().connected(service)) {
            raw.sendJson("/app/conversations/" + group + "/messages", "{\"clientMessageId\":\"svc-1\",\"text\":\"hi\"}");
            assertRefusedAs(raw, ProblemCodes.FORBIDDEN);
        }
        assertNothingStored(alice, group);
    }

    // --- handshake and frame size ---

    @Test
    void aHandshakeFromAForeignOriginIsRefused() {
        TestUser alice = clients.user("alice");
        WebSocketHttpHeaders evil = new WebSocketHttpHeaders();
        evil.setOrigin("http://evil.example");

        assertThatThrownBy(() -> StompTestClient.handshake(clients.wsUrl(), alice.token(), evil, clients.json())
                .get(StompTestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .as("handshake from http://evil.example")
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("403");
    }

    @Test
    void aHandshakeFromAnAllowedOriginIsAccepted() throws Exception {
        TestUser alice = clients.user("alice");
        WebSocketHttpHeaders frontEnd = new WebSocketHttpHeaders();
        frontEnd.setOrigin("http://localhost:3000");

        StompSession session = StompTestClient.handshake(clients.wsUrl(), alice.token(), frontEnd, clients.json())
                .get(StompTestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            assertThat(session.isConnected()).isTrue();
        } finally {
            session.disconnect();
        }
    }

    @Test
    void aFrameLargerThan64KiBIsRefusedAndStoresNothing() {
        TestUser alice = clients.user("alice");
        String group = group(alice, "Big frames");

        try (RawStompClient raw = clients.raw().connected(alice.token())) {
            raw.sendJson("/app/conversations/" + group + "/messages",
                    "{\"clientMessageId\":\"big-1\",\"text\":\"" + "x".repeat(70 * 1024) + "\"}");
            Frame error = raw.awaitErrorFrame();
            assertThat(error.header("message")).isEqualTo("FRAME_TOO_LARGE");
            assertThat(error.json().get("status").asInt()).isEqualTo(413);
            raw.awaitClosed();
        }
        assertNothingStored(alice, group);
    }

    @Test
    void aFrameWhoseContentLengthIsOverTheLimitIsRefusedAsTooLarge() {
        TestUser alice = clients.user("alice");
        String group = group(alice, "Declared too big");
        String destination = "/app/conversations/" + group + "/messages";

        // Announced as too large, whatever follows: the server need not wait for the body.
        try (RawStompClient raw = clients.raw().connected(alice.token())) {
            raw.send("SEND", Map.of("destination", destination, "content-type", "application/json",
                    "content-length", String.valueOf(70 * 1024)), "{\"clientMessageId\":\"cl-1\",\"text\":\"hi\"}");
            assertTooLarge(raw);
        }
        // Announced and sent in full.
        String body = "{\"clientMessageId\":\"cl-2\",\"text\":\"" + "x".repeat(70 * 1024) + "\"}";
        try (RawStompClient raw = clients.raw().connected(alice.token())) {
            try {
                raw.send("SEND", Map.of("destination", destination, "content-type", "application/json",
                        "content-length", String.valueOf(body.length())), body);
            } catch (IllegalStateException | java.io.UncheckedIOException closedMidWrite) {
                // The server may refuse the frame and close before the whole body is written: that is
                // the point. Its ERROR frame has still arrived.
            }
            assertTooLarge(raw);
        }
        assertNothingStored(alice, group);
    }

    private static void assertTooLarge(RawStompClient raw) {
        Frame error = raw.awaitErrorFrame();
        assertThat(error.header("message")).as("ERROR frame %s", error).isEqualTo(ProblemCodes.FRAME_TOO_LARGE);
        assertThat(error.json().get("code").asString()).isEqualTo(ProblemCodes.FRAME_TOO_LARGE);
        assertThat(error.json().get("status").asInt()).isEqualTo(413);
        raw.awaitClosed();
    }

    @Test
    void framesUpTo64KiBReachTheHandlers() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = group(alice, "Long messages", bob);
        String longest = "长".repeat(4000); // the longest text allowed: 12 000 bytes of UTF-8

        try (StompTestClient aliceLive = clients.stomp(alice); StompTestClient bobLive = clients.stomp(bob)) {
            aliceLive.sendMessage(group, "long-1", longest);
            assertThat(aliceLive.awaitAck().get("seq").asLong()).isEqualTo(1);
            assertThat(bobLive.awaitEvent("message.posted").at("/message/text").asString()).isEqualTo(longest);

            // A 60 KiB frame is within bounds: the handler sees it and refuses only its overlong text.
            aliceLive.sendMessage(group, "long-2", "y".repeat(60 * 1024));
            JsonNode refused = aliceLive.awaitError();
            assertThat(refused.get("code").asString()).isEqualTo(ProblemCodes.VALIDATION_FAILED);
            assertThat(refused.get("clientMessageId").asString()).isEqualTo("long-2");
            assertThat(aliceLive.isConnected()).isTrue();
        }
    }

    private void assertConnectRefused(String token) {
        try (RawStompClient raw = clients.raw()) {
            Frame answer = raw.connect(token);
            assertThat(answer.command()).as("answer to CONNECT: %s", answer).isEqualTo("ERROR");
            assertThat(answer.header("message")).isEqualTo(ProblemCodes.UNAUTHENTICATED);
            assertThat(answer.json().get("code").asString()).isEqualTo(ProblemCodes.UNAUTHENTICATED);
            raw.awaitClosed();
        }
    }

    /** The next frame is an ERROR whose {@code message} header and body carry {@code code}, and the server hangs up. */
    private static void assertRefusedAs(RawStompClient raw, String code) {
        Frame error = raw.awaitErrorFrame();
        assertThat(error.header("message")).as("ERROR frame %s", error).isEqualTo(code);
        assertThat(error.json().get("code").asString()).isEqualTo(code);
        raw.awaitClosed();
    }

    private String sessionIdOf(TestUser user) {
        SimpUser connected = connectedUsers.getUser(user.id().toString());
        assertThat(connected).as("%s connected", user.username()).isNotNull();
        return connected.getSessions().stream().map(SimpSession::getId).findFirst().orElseThrow();
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

    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
