package io.chorus.identity;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.KeycloakServer;
import io.chorus.support.RestApi;
import io.chorus.support.StompTestClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Chorus against a real Keycloak: tokens issued by the {@code chorus} realm (password grant on
 * the test client, whose audience mapper names Chorus) are accepted over REST and STOMP with the
 * realm roles they carry; a token altered after Keycloak signed it is not, nor one the realm
 * issued to another of its applications.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class KeycloakTokenTest {

    @DynamicPropertySource
    static void trustTheTestKeycloak(DynamicPropertyRegistry registry) {
        registry.add("chorus.identity.issuer-uri", KeycloakServer::issuerUri);
    }

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Test
    void meDescribesAKeycloakUserWithTheirRealmRoles() {
        String token = KeycloakServer.accessToken("alice.chen", "alice.chen-password");

        JsonNode me = api(token).get("/api/v1/me").ok().json();

        assertThat(me.get("username").asString()).isEqualTo("alice.chen");
        assertThat(me.get("displayName").asString()).isEqualTo("Alice Chen");
        assertThat(roles(me)).containsExactly("employee");
        assertThat(api(KeycloakServer.accessToken("alice.chen", "alice.chen-password")).get("/api/v1/me").ok().json()
                .get("id").asString()).as("a new token for the same person keeps their id")
                .isEqualTo(me.get("id").asString());
    }

    @Test
    void anOrgAdminFromKeycloakIsAlsoAnEmployee() {
        JsonNode me = api(KeycloakServer.accessToken("wang.fang", "wang.fang-password")).get("/api/v1/me").ok().json();

        assertThat(me.get("username").asString()).isEqualTo("wang.fang");
        // Keycloak's full-name mapper puts the given name first, Chinese names included.
        assertThat(me.get("displayName").asString()).isEqualTo("芳 王");
        assertThat(roles(me)).containsExactly("employee", "org_admin");
    }

    @Test
    void aComplianceOfficerGetsThatRoleAndNoOther() {
        JsonNode me = api(KeycloakServer.accessToken("carol.wu", "carol.wu-password")).get("/api/v1/me").ok().json();

        assertThat(roles(me)).containsExactly("compliance_officer", "employee");
    }

    @Test
    void keycloakTokenAlteredAfterSigningIsRefused() {
        String[] parts = KeycloakServer.accessToken("alice.chen", "alice.chen-password").split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String promoted = claims.replace("\"employee\"", "\"org_admin\"");
        assertThat(promoted).isNotEqualTo(claims);
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(promoted.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        api(tampered).get("/api/v1/me").problem(401, "UNAUTHENTICATED");

        StompHeaders connect = new StompHeaders();
        connect.add("Authorization", "Bearer " + tampered);
        assertThat(StompTestClient.connectExpectingRefusal(wsUrl(), connect, json).message())
                .isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void aTokenTheRealmIssuedToAnotherApplicationIsRefused() {
        String timesheets = KeycloakServer.accessToken(KeycloakServer.OTHER_CLIENT_ID, "alice.chen", "alice.chen-password");

        api(timesheets).get("/api/v1/me").problem(401, "UNAUTHENTICATED");

        StompHeaders connect = new StompHeaders();
        connect.add("Authorization", "Bearer " + timesheets);
        assertThat(StompTestClient.connectExpectingRefusal(wsUrl(), connect, json).message())
                .isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void stompSessionsOpenedWithKeycloakTokensCarryChat() {
        String alice = KeycloakServer.accessToken("alice.chen", "alice.chen-password");
        String zhang = KeycloakServer.accessToken("zhang.san", "zhang.san-password");
        String zhangId = api(zhang).get("/api/v1/me").ok().json().get("id").asString();
        String group = api(alice).post("/api/v1/conversations/groups",
                body("name", "Platform sync " + UUID.randomUUID(), "memberIds", List.of(zhangId)))
                .status(201).json().get("id").asString();

        try (StompTestClient aliceLaptop = StompTestClient.connect(wsUrl(), alice, json);
                StompTestClient zhangPhone = StompTestClient.connect(wsUrl(), zhang, json)) {
            aliceLaptop.sendMessage(group, "kc-1", "Keycloak tokens work over STOMP too");

            long messageId = aliceLaptop.awaitAck().get("messageId").asLong();
            JsonNode posted = zhangPhone.awaitEvent("message.posted");
            assertThat(posted.get("conversationId").asString()).isEqualTo(group);
            assertThat(posted.at("/message/id").asLong()).isEqualTo(messageId);
            assertThat(posted.at("/message/text").asString()).isEqualTo("Keycloak tokens work over STOMP too");
        }
    }

    private RestApi api(String token) {
        return new RestApi("http://localhost:" + port, token, json);
    }

    private String wsUrl() {
        return "ws://localhost:" + port + "/ws";
    }

    private static List<String> roles(JsonNode me) {
        return me.get("roles").valueStream().map(JsonNode::asString).toList();
    }
}
