package io.chorus.contract;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.chorus.integration.internal.WebhookSignatures;
import io.chorus.platform.ProblemCodes;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.SmallIntegrationLimits;
import io.chorus.support.TestBots;
import io.chorus.support.TestBots.TestBot;
import io.chorus.support.TestClients;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.bean.override.convention.TestBean;
import tools.jackson.databind.JsonNode;

/**
 * The 429 of the integrations' rate limits ({@code components/responses/RateLimited}, with the
 * spent {@code limit} and Retry-After) against {@code frontend-contract/openapi.yaml}, once for
 * each kind of limit (and on incoming webhooks, slash commands and their response URLs); {@link OpenApiContract#unseenResponses} leaves those responses to this class.
 */
@ChorusIntegrationTest
@SmallIntegrationLimits
class RateLimitContractTest {

    /** So that this class shares the application of IntegrationRateLimitTest; signatures are dated by it. */
    @TestBean(name = "clock", methodName = "io.chorus.support.AdjustableClock#standIn")
    Clock clock;

    private static OpenApiContract openApi;
    /** Plays a bot's slash command endpoint. */
    private static final WireMockServer botEndpoint = new WireMockServer(
            WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));

    @Autowired
    TestClients clients;

    @BeforeAll
    static void loadDocument() {
        openApi = OpenApiContract.load();
        botEndpoint.start();
    }

    @AfterAll
    static void stopBotEndpoint() {
        botEndpoint.stop();
    }

    @Test
    void refusalsOfEachLimitAnswerAsDocumented() {
        TestBot reader = new TestBots(clients).bot("messages:read", "org:read");
        ContractClient bot = ContractClient.withToken(clients, openApi, reader.token());

        for (int i = 0; i < SmallIntegrationLimits.ORG_USERS; i++) {
            bot.get("/api/v1/org/users?q=bot").ok();
        }
        limited(bot.get("/api/v1/org/users?q=bot"), "endpoint");

        for (int i = SmallIntegrationLimits.ORG_USERS; i < SmallIntegrationLimits.TOKEN; i++) {
            bot.get("/api/v1/conversations").ok();
        }
        limited(bot.get("/api/v1/conversations"), "token");

        TestBot writer = new TestBots(clients).bot("messages:write");
        ContractClient poster = ContractClient.withToken(clients, openApi, writer.token());
        String group = clients.rest(writer.owner()).post("/api/v1/conversations/groups",
                body("name", "Limits", "memberIds", List.of(writer.id()))).status(201).json().get("id").asString();
        for (int i = 0; i < SmallIntegrationLimits.CONVERSATION; i++) {
            poster.post("/api/v1/conversations/" + group + "/messages", body("clientMessageId", "m-" + i, "text", "hi"))
                    .status(201);
        }
        limited(poster.post("/api/v1/conversations/" + group + "/messages",
                body("clientMessageId", "m-over", "text", "hi")), "conversation");

        ContractClient owner = ContractClient.as(clients, openApi, writer.owner());
        ContractClient sender = ContractClient.anonymous(clients, openApi);
        JsonNode hook = owner.post("/api/v1/conversations/" + group + "/incoming-webhooks", body("name", "CI"))
                .status(201).json();
        String path = URI.create(hook.get("url").asString()).getPath();
        for (int i = 0; i < SmallIntegrationLimits.INCOMING_WEBHOOK; i++) {
            sender.post(path, "{\"text\": \"build " + i + "\"}").status(201);
        }
        limited(sender.post(path, "{\"text\": \"build over\"}"), "incoming_webhook");
        // The signed form spends from the same budget of the hook.
        String signedPath = URI.create(hook.get("signedUrl").asString()).getPath();
        String text = "{\"text\": \"signed\"}";
        ContractClient signing = sender;
        for (Map.Entry<String, String> header : WebhookSignatures.headers(hook.get("signingSecret").asString(),
                "msg_over", clock.instant(), text.getBytes(StandardCharsets.UTF_8)).entrySet()) {
            signing = signing.withHeader(header.getKey(), header.getValue());
        }
        limited(signing.post(signedPath, text), "incoming_webhook");

        TestBot crm = new TestBots(clients).bot("webhooks:manage");
        String endpoint = "/" + crm.key() + "/report";
        botEndpoint.stubFor(WireMock.post(WireMock.urlEqualTo(endpoint)).willReturn(WireMock.aResponse().withStatus(200)));
        ContractClient.withToken(clients, openApi, crm.token()).put("/api/v1/integration/commands/report",
                body("url", botEndpoint.baseUrl() + endpoint)).status(201);
        String sales = clients.rest(writer.owner()).post("/api/v1/conversations/groups",
                body("name", "Sales", "memberIds", List.of(crm.id()))).status(201).json().get("id").asString();
        String commands = "/api/v1/conversations/" + sales + "/commands";
        for (int i = 0; i < SmallIntegrationLimits.COMMAND; i++) {
            owner.post(commands, body("text", "/report " + i)).ok();
        }
        limited(owner.post(commands, body("text", "/report over")), "command");
        String responseUrl = clients.json().readTree(botEndpoint.findAll(WireMock.postRequestedFor(
                WireMock.urlEqualTo(endpoint))).getFirst().getBodyAsString()).get("responseUrl").asString();
        String responsePath = URI.create(responseUrl).getPath();
        for (int i = 0; i < SmallIntegrationLimits.CONVERSATION; i++) {
            sender.post(responsePath, body("responseType", "in_channel", "text", "answer " + i)).ok();
        }
        limited(sender.post(responsePath, body("responseType", "in_channel", "text", "answer over")), "conversation");
    }

    private static void limited(RestApi.Response response, String limit) {
        response.problem(429, ProblemCodes.RATE_LIMITED);
        assertThat(response.json().get("limit").asString()).isEqualTo(limit);
        assertThat(response.headers().getFirst("Retry-After")).matches("[1-9][0-9]*");
    }
}
