package io.chorus.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.identity.internal.local.LocalTokenIssuer;
import io.chorus.support.RestApi;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.json.JsonMapper;

/**
 * Configuring an external issuer switches local mode off even when the local profile asks for
 * it: no dev-token endpoint, no local signing key, and the local issuer's tokens mean nothing.
 * Chorus must also start while that Keycloak is unreachable (its keys are fetched lazily).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "chorus.identity.issuer-uri=http://127.0.0.1:9/realms/unreachable")
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class ExternalIssuerTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JsonMapper json;

    @Test
    void devTokensDoNotExistWhenAnIssuerIsConfigured() {
        assertThat(context.getBeanNamesForType(LocalTokenIssuer.class)).isEmpty();

        RestApi anonymous = new RestApi("http://localhost:" + port, null, json);
        anonymous.post("/api/v1/dev/token", RestApi.body("username", "alice")).problem(404, "NOT_FOUND");
        anonymous.get("/api/v1/me").problem(401, "UNAUTHENTICATED");
    }

    @Test
    void whileTheIssuerIsUnreachableCallersAreToldToRetryNotThatTheirTokenIsBad() {
        RestApi caller = new RestApi("http://localhost:" + port,
                "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2lnbmF0dXJl", json);
        caller.get("/api/v1/me").problem(503, "IDENTITY_PROVIDER_UNAVAILABLE");
    }

    @Test
    void stompConnectWhileTheIssuerIsUnreachableGetsTheSameCodeAndTheTokenIsNeverLogged(CapturedOutput output) {
        String token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2VjcmV0LXNpZ25hdHVyZQ";
        var connect = new org.springframework.messaging.simp.stomp.StompHeaders();
        connect.add("Authorization", "Bearer " + token);
        var refused = io.chorus.support.StompTestClient.connectExpectingRefusal(
                "ws://localhost:" + port + "/ws", connect, json);
        assertThat(refused.message()).isEqualTo("IDENTITY_PROVIDER_UNAVAILABLE");
        assertThat(refused.body().get("status").asInt()).isEqualTo(503);
        // The refusal is logged (with the frame's headers): the credential must not be in it.
        // Spring logs it after the ERROR frame has gone out, so the client can see the frame first.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(output.getAll()).contains("identity provider"));
        assertThat(output.getAll()).doesNotContain(token);
    }
}
