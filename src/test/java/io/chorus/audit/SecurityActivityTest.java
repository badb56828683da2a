package io.chorus.audit;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.audit.internal.AuditProperties;
import io.chorus.audit.internal.RepeatedRefusals;
import io.chorus.identity.IdentityEvents;
import io.chorus.identity.UserId;
import io.chorus.identity.internal.IdentityProperties.DemoUser;
import io.chorus.identity.internal.local.LocalTokenIssuer;
import io.chorus.platform.EdgeEvents;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.StompTestClient;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.List;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Security events at the edges become audit entries; checkpoints can be checked by anyone with the public key. */
@ChorusIntegrationTest
class SecurityActivityTest {

    @Autowired
    TestClients clients;
    @Autowired
    AuditTrail trail;
    @Autowired
    JdbcClient jdbc;

    @Autowired
    LocalTokenIssuer issuer;
    @Autowired
    EdgeEvents edgeEvents;
    @Autowired
    RepeatedRefusals refusals;
    @Autowired
    AuditProperties properties;

    AuditSetup audit;
    TestUser officer;

    @BeforeEach
    void setUp() {
        audit = new AuditSetup(clients, trail, jdbc);
        officer = audit.officer();
    }

    @Test
    void aTokenSeenForTheFirstTimeIsASignInRecordedOnce() {
        TestUser user = clients.user("signin");
        clients.rest(user).get("/api/v1/me").ok();
        clients.rest(user).get("/api/v1/conversations").ok();

        List<JsonNode> signIns = audit.awaitEntries(officer, "action=security.signed_in&actorId=" + user.id(),
                found -> !found.isEmpty());

        assertThat(signIns).hasSize(1);
        assertThat(signIns.getFirst().get("sourceIp").asString()).isEqualTo("127.0.0.1");
        assertThat(signIns.getFirst().get("detail").get("tokenId").asString()).isNotBlank();
        assertThat(signIns.getFirst().toString()).as("the token itself is never recorded")
                .doesNotContain(user.token());
    }

    /**
     * Keycloak hands out a new access token every few minutes within one session: the trail
     * records a sign-in per session (the token's {@code sid}), and per user and UTC day for tokens
     * without one, however many tokens the session uses.
     */
    @Test
    void aSignInIsRecordedOncePerSessionNotPerToken() {
        String username = "session-" + UUID.randomUUID().toString().substring(0, 8);
        DemoUser demo = new DemoUser(username, username, username + "@test.local", List.of("employee"));
        String session = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        List<String> tokens = List.of(issuer.issueInSession(demo, Instant.now(), session).value(),
                issuer.issueInSession(demo, Instant.now(), session).value(), issuer.issueInSession(demo, Instant.now(), other).value(),
                issuer.issueInSession(demo, Instant.now(), null).value(), issuer.issueInSession(demo, Instant.now(), null).value());
        String user = clients.rest(tokens.getFirst()).get("/api/v1/me").ok().json().get("id").asString();
        tokens.forEach(token -> clients.rest(token).get("/api/v1/conversations").ok());

        List<JsonNode> signIns = audit.awaitEntries(officer, "action=security.signed_in&actorId=" + user,
                found -> found.size() >= 3);

        assertThat(signIns).extracting(entry -> entry.get("sessionId").isNull() ? null
                : entry.get("sessionId").asString()).containsExactlyInAnyOrder(session, other, null);
    }

    /** Every node that sees a session announces it; the trail still has one sign-in for it. */
    @Test
    void aSessionSeenOnSeveralNodesIsOneSignIn() {
        TestUser user = clients.user("nodes");
        String session = UUID.randomUUID().toString();
        for (String node : List.of("a", "b", "c")) {
            edgeEvents.publish(new IdentityEvents.SignedIn(UserId.of(user.id()), "token-" + node, session,
                    "10.0.0." + node.charAt(0) % 10, Instant.now()));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.sql("""
                SELECT count(*) FROM event_publication
                WHERE serialized_event LIKE '%' || :session || '%' AND completion_date IS NULL
                """).param("session", session).query(Long.class).single() == 0);

        List<JsonNode> signIns = audit.awaitEntries(officer, "action=security.signed_in&actorId=" + user.id(),
                found -> found.size() >= 2);

        assertThat(signIns).filteredOn(entry -> session.equals(entry.get("sessionId").asString())).singleElement()
                .satisfies(entry -> assertThat(entry.get("detail").get("tokenId").asString()).startsWith("token-"));
    }

    /**
     * The first refusal of an (actor, action, target) is recorded at once; its repeats within the
     * window become one entry with their count when the window closes.
     */
    @Test
    void repeatedRefusalsAreCountedIntoOneEntryAfterTheFirst() {
        TestUser nosy = clients.user("nosy");
        for (int i = 0; i < 30; i++) {
            clients.rest(nosy).get("/api/v1/audit/events?action=x").problem(403, "FORBIDDEN");
        }
        clients.rest(nosy).get("/api/v1/legal-holds").problem(403, "FORBIDDEN");
        await().atMost(Duration.ofSeconds(60)).until(() -> repeats(nosy) == 29);

        List<JsonNode> first = audit.awaitEntries(officer, "action=security.access_denied&actorId=" + nosy.id(),
                found -> found.size() >= 2);
        closeRefusalWindows();
        List<JsonNode> repeated = audit.awaitEntries(officer, "action=security.access_denied_repeated&actorId="
                + nosy.id(), found -> !found.isEmpty());

        assertThat(first).extracting(entry -> entry.get("targetId").asString())
                .containsExactlyInAnyOrder("GET /api/v1/audit/events", "GET /api/v1/legal-holds");
        assertThat(repeated).singleElement().satisfies(entry -> {
            assertThat(entry.get("targetId").asString()).isEqualTo("GET /api/v1/audit/events");
            assertThat(entry.get("detail").get("count").asInt()).isEqualTo(29);
            assertThat(Instant.parse(entry.get("detail").get("lastAt").asString()))
                    .isAfterOrEqualTo(Instant.parse(entry.get("detail").get("firstAt").asString()));
            assertThat(entry.get("sourceIp").asString()).isEqualTo("127.0.0.1");
        });
        assertThat(audit.entries(officer, "action=security.access_denied&actorId=" + nosy.id()))
                .as("no entry per repeat").hasSize(2);
    }

    /**
     * Varying the target (a random id in the path) must not flood the trail either: past a number
     * of distinct targets in a window, an actor's further refusals are only counted.
     */
    @Test
    void anActorsDistinctRefusalsPastTheLimitAreOnlyCounted() {
        TestUser nosy = clients.user("prober");
        int limit = properties.refusals().distinctTargetsPerActor();
        for (int i = 0; i < limit + 5; i++) {
            clients.rest(nosy).get("/api/v1/audit/officers/" + UUID.randomUUID() + "/scope").problem(403, "FORBIDDEN");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> tallied(nosy) == limit + 5);

        closeRefusalWindows();
        List<JsonNode> repeated = audit.awaitEntries(officer, "action=security.access_denied_repeated&actorId="
                + nosy.id(), found -> !found.isEmpty());

        assertThat(audit.entries(officer, "action=security.access_denied&actorId=" + nosy.id())).hasSize(limit);
        assertThat(repeated).singleElement().satisfies(entry -> {
            assertThat(entry.get("targetId").asString()).isEqualTo("*");
            assertThat(entry.get("detail").get("count").asInt()).isEqualTo(5);
            assertThat(entry.get("detail").get("sampleTarget").asString()).startsWith("GET /api/v1/audit/officers/");
        });
    }

    /** Closes every open window now, as the schedule does once they are older than the window. */
    private void closeRefusalWindows() {
        refusals.closeWindows(Instant.now().plus(properties.refusals().window()).plusSeconds(1));
        trail.flush();
    }

    private long repeats(TestUser actor) {
        return jdbc.sql("SELECT coalesce(sum(repeats), 0) FROM audit.refusal_tally WHERE actor_id = :a")
                .param("a", actor.id()).query(Long.class).single();
    }

    /** Refusals the tally has seen for the actor: one per open window plus its repeats. */
    private long tallied(TestUser actor) {
        return jdbc.sql("""
                SELECT coalesce(sum(CASE WHEN target_id = '*' THEN repeats ELSE 1 + repeats END), 0)
                FROM audit.refusal_tally WHERE actor_id = :a
                """).param("a", actor.id()).query(Long.class).single();
    }

    @Test
    void aRefusedRequestIsRecordedWithItsCaller() {
        TestUser nosy = clients.user("nosy");
        clients.rest(nosy).get("/api/v1/audit/events?action=x").problem(403, "FORBIDDEN");
        clients.rest(nosy).get("/api/v1/conversations/" + java.util.UUID.randomUUID()).status(404);

        List<JsonNode> denied = audit.awaitEntries(officer, "action=security.access_denied&actorId=" + nosy.id(),
                found -> !found.isEmpty());

        assertThat(denied).hasSize(1);
        assertThat(denied.getFirst().get("targetId").asString()).isEqualTo("GET /api/v1/audit/events");
    }

    @Test
    void devTokensAndStompSessionsAreRecorded() throws Exception {
        clients.anonymous().post("/api/v1/dev/token", body("username", "alice")).ok();
        TestUser user = clients.user("stomp");
        StompTestClient stomp = clients.stomp(user);
        stomp.close();

        List<JsonNode> sessions = audit.awaitEntries(officer, "targetType=SESSION&actorId=" + user.id(),
                found -> found.size() == 2);
        assertThat(audit.actions(sessions)).containsExactly("stomp.connected", "stomp.disconnected");
        assertThat(sessions.get(0).get("sourceIp").asString()).isEqualTo("127.0.0.1");
        assertThat(sessions.get(0).get("sessionId").asString()).isEqualTo(sessions.get(1).get("sessionId").asString());
        List<JsonNode> dev = audit.awaitEntries(officer, "action=security.dev_token_issued&targetType=USERNAME"
                + "&targetId=alice", found -> !found.isEmpty());
        assertThat(dev.getLast().get("actorType").asString()).isEqualTo("SYSTEM");
    }

    @Test
    void aStompSubscriptionRefusedForWantOfPermissionIsRecorded() {
        TestUser user = clients.user("peeker");
        try (StompTestClient stomp = StompTestClient.connectOnly(clients.wsUrl(), user.token(), clients.json())) {
            org.springframework.messaging.simp.stomp.StompHeaders subscribe =
                    new org.springframework.messaging.simp.stomp.StompHeaders();
            subscribe.setDestination("/topic/everything");
            stomp.session().subscribe(subscribe, new org.springframework.messaging.simp.stomp.StompFrameHandler() {
                @Override
                public java.lang.reflect.Type getPayloadType(org.springframework.messaging.simp.stomp.StompHeaders h) {
                    return JsonNode.class;
                }

                @Override
                public void handleFrame(org.springframework.messaging.simp.stomp.StompHeaders h, Object payload) {
                }
            });
            assertThat(stomp.awaitErrorFrame().message()).isEqualTo("FORBIDDEN");
        }

        List<JsonNode> denied = audit.awaitEntries(officer, "action=security.access_denied&actorId=" + user.id(),
                found -> !found.isEmpty());

        assertThat(denied.getFirst().get("targetId").asString()).isEqualTo("STOMP SUBSCRIBE /topic/everything");
        assertThat(denied.getFirst().get("sessionId").asString()).isNotBlank();
    }

    @Test
    void aCheckpointVerifiesWithNothingButItsPublicKey() throws Exception {
        JsonNode checkpoint = clients.rest(officer).post("/api/v1/audit/checkpoints", null).status(201).json();

        // What an outside party holds: the exported checkpoint, nothing of Chorus' code.
        var key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                Base64.getDecoder().decode(checkpoint.get("publicKey").asString())));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(checkpoint.get("payload").asString().getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(Base64.getDecoder().decode(checkpoint.get("signature").asString()))).isTrue();
        long seq = checkpoint.get("seq").asLong();
        assertThat(checkpoint.get("payload").asString()).contains("seq=" + seq + "\n")
                .contains("hash=" + checkpoint.get("hash").asString() + "\n");
        String storedHash = jdbc.sql("SELECT encode(hash, 'hex') FROM audit.entry WHERE seq = :s").param("s", seq)
                .query(String.class).single();
        assertThat(checkpoint.get("hash").asString()).isEqualTo(storedHash);
        // A tampered payload does not verify.
        verifier.initVerify(key);
        verifier.update(checkpoint.get("payload").asString().replace("seq=" + seq, "seq=" + (seq - 1))
                .getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(Base64.getDecoder().decode(checkpoint.get("signature").asString()))).isFalse();

        JsonNode listed = clients.rest(officer).get("/api/v1/audit/checkpoints?afterId="
                + (checkpoint.get("id").asLong() - 1)).ok().json();
        assertThat(listed.get(0).get("signature").asString()).isEqualTo(checkpoint.get("signature").asString());
    }
}
