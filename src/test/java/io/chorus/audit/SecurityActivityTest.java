package io.chorus.audit;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.StompTestClient;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.Base64;
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
