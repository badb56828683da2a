package io.chorus.monitoring;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The operator's switches for logs: JSON lines (here Elastic Common Schema), the access log, a
 * request id and the caller's user id on every line of a request, the caller's W3C trace id
 * honoured, and never a message's text, a query string or a token.
 */
@ChorusIntegrationTest
@TestPropertySource(properties = {"logging.structured.format.console=ecs", "chorus.platform.access-log.enabled=true"})
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogsTest {

    @Autowired
    TestClients clients;

    @Test
    void aRequestsLineCarriesItsRequestIdUserAndTraceButNeitherTextNorSecrets(CapturedOutput output) {
        TestUser alice = clients.user("alice");
        String group = clients.rest(alice).post("/api/v1/conversations/groups",
                body("name", "Logs", "memberIds", List.of())).status(201).json().get("id").asString();
        String text = "The launch code is " + UUID.randomUUID();
        String requestId = "req-" + UUID.randomUUID();
        String traceId = hex(16);
        String querySecret = "secret-" + UUID.randomUUID();

        RestApi.Response sent = clients.rest(alice).exchange(HttpMethod.POST,
                "/api/v1/conversations/" + group + "/messages?token=" + querySecret,
                body("clientMessageId", "logs-1", "text", text),
                Map.of("X-Request-Id", requestId, "traceparent", "00-" + traceId + "-" + hex(8) + "-01"));

        assertThat(sent.status()).as("body: %s", sent.body()).isEqualTo(201);
        assertThat(sent.headers().getFirst("X-Request-Id")).isEqualTo(requestId);
        JsonNode line = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lineWith(output, requestId),
                found -> found != null);
        assertThat(line.path("log").path("logger").asString()).isEqualTo("io.chorus.access");
        assertThat(line.path("userId").asString()).isEqualTo(alice.id().toString());
        assertThat(line.path("traceId").asString()).as("the caller's trace id").isEqualTo(traceId);
        assertThat(line.path("message").asString())
                .isEqualTo("POST /api/v1/conversations/" + group + "/messages 201 " + line.path("durationMs").asLong() + "ms");
        assertThat(line.path("status").asInt()).isEqualTo(201);
        assertThat(output.getOut()).doesNotContain(text).doesNotContain(querySecret).doesNotContain(alice.token());
    }

    @Test
    void aRequestWithoutAPlausibleIdGetsOneOfItsOwn() {
        RestApi.Response first = clients.anonymous().get("/actuator/health");
        RestApi.Response second = clients.anonymous().exchange(HttpMethod.GET, "/actuator/health", null,
                Map.of("X-Request-Id", "not\tplausible"));
        assertThat(first.headers().getFirst("X-Request-Id")).isNotBlank();
        assertThat(second.headers().getFirst("X-Request-Id")).isNotBlank().isNotEqualTo("not\tplausible")
                .isNotEqualTo(first.headers().getFirst("X-Request-Id"));
    }

    @Test
    void incomingWebhookSecretsInThePathAreMasked(CapturedOutput output) {
        String requestId = "hook-" + UUID.randomUUID();
        String secret = "pathsecret" + hex(8);
        clients.anonymous().exchange(HttpMethod.POST, "/api/v1/hooks/" + UUID.randomUUID() + "/" + secret,
                "{}", Map.of("X-Request-Id", requestId));
        JsonNode line = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lineWith(output, requestId),
                found -> found != null);
        assertThat(line.path("path").asString()).endsWith("/***");
        assertThat(output.getOut()).doesNotContain(secret);
    }

    private JsonNode lineWith(CapturedOutput output, String requestId) {
        for (String line : output.getOut().split("\n")) {
            if (line.startsWith("{") && line.contains(requestId)) {
                JsonNode json = clients.json().readTree(line);
                if (requestId.equals(json.path("requestId").asString())
                        && "io.chorus.access".equals(json.path("log").path("logger").asString())) {
                    return json;
                }
            }
        }
        return null;
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
