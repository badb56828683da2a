package io.chorus.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.platform.ProblemCodes;
import io.chorus.support.KeycloakServer;
import io.chorus.support.RestApi;
import io.chorus.support.StompTestClient;
import io.chorus.support.TcpGate;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keycloak out of reach for longer than Chorus keeps its keys: Chorus reaches the real test
 * Keycloak only through a {@link TcpGate}, which the test cuts. A token signed with a key Chorus
 * has not fetched yet (Keycloak rotated its keys) then cannot be verified: REST answers 503
 * IDENTITY_PROVIDER_UNAVAILABLE and STOMP CONNECT an ERROR frame with that code, never 401 or
 * 500; the outage is one WARN line, its end one INFO line; and once Keycloak can be reached
 * again the same token works, without restarting Chorus.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
// The application trusts the gate's address, which closes with this class: no other class may reuse it.
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class IdentityProviderOutageTest {

    private static final Pattern OUTAGE_STARTED = Pattern.compile("WARN.*Cannot reach the identity provider");
    private static final Pattern OUTAGE_ENDED = Pattern.compile("INFO.*The identity provider .* answers again");

    private static TcpGate gate;

    @DynamicPropertySource
    static void trustKeycloakThroughTheGate(DynamicPropertyRegistry registry) {
        registry.add("chorus.identity.issuer-uri", IdentityProviderOutageTest::issuerThroughGate);
    }

    private static synchronized String issuerThroughGate() {
        if (gate == null) {
            URI keycloak = URI.create(KeycloakServer.serverUrl());
            gate = TcpGate.to(keycloak.getHost(), keycloak.getPort());
        }
        // Keycloak names itself by the address it was called at: tokens fetched through the gate carry this issuer.
        return "http://127.0.0.1:" + gate.port() + "/realms/" + KeycloakServer.REALM;
    }

    @AfterAll
    static void closeGate() {
        if (gate != null) {
            gate.close();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Test
    void whileKeycloakCannotBeReachedTokensItMustVerifyGet503AndChorusRecoversWhenItIsBack(CapturedOutput output) {
        String known = token();
        api(known).get("/api/v1/me").ok();

        String rotatedKey = addSigningKey();
        try {
            String rotated = token();
            gate.cut();
            try {
                api(rotated).get("/api/v1/me").problem(503, ProblemCodes.IDENTITY_PROVIDER_UNAVAILABLE);
                api(rotated).get("/api/v1/conversations").problem(503, ProblemCodes.IDENTITY_PROVIDER_UNAVAILABLE);

                StompTestClient.ErrorFrame refused = StompTestClient.connectExpectingRefusal(wsUrl(),
                        bearer(rotated), json);
                assertThat(refused.message()).isEqualTo(ProblemCodes.IDENTITY_PROVIDER_UNAVAILABLE);
                assertThat(refused.body().get("status").asInt()).isEqualTo(503);

                // A token signed with a key Chorus already holds needs no Keycloak: the outage costs only what it must.
                api(known).get("/api/v1/me").ok();

                assertThat(OUTAGE_STARTED.matcher(output.getAll()).results().count())
                        .as("one WARN line for the outage, however many callers it refused").isEqualTo(1);
                assertThat(output.getAll()).as("no stack trace per request")
                        .doesNotContain("Servlet.service()")
                        .doesNotContain("Unexpected failure");
            } finally {
                gate.restore();
            }

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api(rotated).get("/api/v1/me").ok());
            try (StompTestClient connected = StompTestClient.connect(wsUrl(), rotated, json)) {
                assertThat(connected).isNotNull();
            }
            assertThat(OUTAGE_ENDED.matcher(output.getAll()).results().count())
                    .as("one INFO line when the identity provider answers again").isEqualTo(1);
            assertThat(OUTAGE_STARTED.matcher(output.getAll()).results().count()).isEqualTo(1);
        } finally {
            removeSigningKey(rotatedKey);
        }
    }

    /** A token of a realm user, asked for through the gate, so that its issuer is the one Chorus trusts. */
    private static String token() {
        return KeycloakServer.accessTokenFrom(issuerThroughGate(), KeycloakServer.WEB_CLIENT_ID, "alice.chen",
                "alice.chen-password");
    }

    /**
     * Rotates the realm's signing key as an administrator would: a new RSA key of higher priority
     * signs every token from now on, under a key id ({@code kid}) Chorus has never fetched.
     */
    private static String addSigningKey() {
        try (Keycloak admin = KeycloakServer.admin()) {
            RealmResource realm = admin.realm(KeycloakServer.REALM);
            ComponentRepresentation key = new ComponentRepresentation();
            key.setName("rotated-" + System.nanoTime());
            key.setProviderId("rsa-generated");
            key.setProviderType("org.keycloak.keys.KeyProvider");
            key.setParentId(realm.toRepresentation().getId());
            MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
            config.putSingle("priority", "1000");
            key.setConfig(config);
            try (Response created = realm.components().add(key)) {
                return CreatedResponseUtil.getCreatedId(created);
            }
        }
    }

    /** Leaves the realm as the other test classes expect it: signed with its original key. */
    private static void removeSigningKey(String id) {
        try (Keycloak admin = KeycloakServer.admin()) {
            admin.realm(KeycloakServer.REALM).components().component(id).remove();
        }
    }

    private static StompHeaders bearer(String token) {
        StompHeaders connect = new StompHeaders();
        connect.add("Authorization", "Bearer " + token);
        return connect;
    }

    private RestApi api(String token) {
        return new RestApi("http://localhost:" + port, token, json);
    }

    private String wsUrl() {
        return "ws://localhost:" + port + "/ws";
    }
}
