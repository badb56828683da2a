package io.chorus.contract;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.chorus.chat.ChatProblems;
import io.chorus.integration.IntegrationProblems;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.StompTestClient;
import io.chorus.support.TestBots;
import io.chorus.support.TestBots.TestBot;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Slash commands and interactivity against {@code frontend-contract/openapi.yaml} and the
 * {@code command.response} live event against {@code asyncapi.yaml}: every documented response
 * of these operations is shown by a real exchange with a bot played by WireMock. {@link
 * ContractTest} leaves these responses and this event to this walkthrough.
 */
@ChorusIntegrationTest
class CommandContractTest {

    /** Live messages of asyncapi.yaml that this walkthrough, not ContractTest's, produces and checks. */
    static final Set<String> LIVE_MESSAGES = Set.of("CommandResponse");

    private static final WireMockServer bot = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private static OpenApiContract openApi;
    private static AsyncApiContract asyncApi;

    @Autowired
    TestClients clients;

    @BeforeAll
    static void start() {
        openApi = OpenApiContract.load();
        asyncApi = AsyncApiContract.load();
        bot.start();
    }

    @AfterAll
    static void stop() {
        bot.stop();
    }

    /** Whether a documented response ("METHOD /path status") is this walkthrough's to show. */
    static boolean commandResponse(String response) {
        return response.contains(" /api/v1/integration/commands") || response.contains(" /api/v1/integration/interactivity")
                || response.contains(" /api/v1/conversations/{}/commands") || response.contains(" /api/v1/command-responses/");
    }

    @Test
    void everyCommandOperationAnswersAsDocumented() {
        TestBots bots = new TestBots(clients);
        TestBot crm = bots.bot("webhooks:manage");
        TestBot other = bots.bot("webhooks:manage");
        TestBot reader = bots.bot("messages:read");
        TestUser aliceUser = clients.user("alice");
        TestUser outsiderUser = clients.user("outsider");
        ContractClient me = client(crm);
        ContractClient otherBot = client(other);
        ContractClient unscoped = client(reader);
        ContractClient alice = ContractClient.as(clients, openApi, aliceUser);
        ContractClient outsider = ContractClient.as(clients, openApi, outsiderUser);
        ContractClient anonymous = ContractClient.anonymous(clients, openApi);
        String commands = "/api/v1/integration/commands";
        String interactivity = "/api/v1/integration/interactivity";
        String base = bot.baseUrl() + "/" + crm.key();

        // registering, by the bot
        assertThat(me.put(commands + "/customer", body("url", base + "/customer", "description", "Look a customer up",
                "usageHint", "[name]")).status(201).json().get("signingSecret").asString()).startsWith("whsec_");
        me.put(commands + "/customer", body("url", base + "/customer", "description", "Look a customer up")).ok();
        for (String name : List.of("report", "slow", "broken")) {
            me.put(commands + "/" + name, body("url", base + "/" + name)).status(201);
        }
        otherBot.put(commands + "/report", body("url", bot.baseUrl() + "/" + other.key() + "/report")).status(201);
        me.violating().put(commands + "/Not_Valid", body("url", base)).problem(400, "VALIDATION_FAILED");
        me.put(commands + "/bad-url", body("url", "ftp://example.com")).problem(400, "VALIDATION_FAILED");
        TestBot busy = bots.bot("webhooks:manage");
        for (int i = 0; i < 50; i++) {
            busy.api().exchange(org.springframework.http.HttpMethod.PUT, commands + "/c" + i, body("url", base))
                    .status(201);
        }
        client(busy).put(commands + "/one-more", body("url", base)).problem(422, "VALIDATION_FAILED");
        anonymous.violating().put(commands + "/customer", body("url", base)).problem(401, "UNAUTHENTICATED");
        unscoped.put(commands + "/customer", body("url", base)).problem(403, "FORBIDDEN");
        assertThat(me.get(commands).ok().json().get("items")).hasSize(4);
        anonymous.violating().get(commands).problem(401, "UNAUTHENTICATED");
        alice.get(commands).problem(403, "FORBIDDEN");
        me.get(commands + "/customer").ok();
        me.get(commands + "/nothing").problem(404, IntegrationProblems.COMMAND_NOT_FOUND);
        anonymous.violating().get(commands + "/customer").problem(401, "UNAUTHENTICATED");
        unscoped.get(commands + "/customer").problem(403, "FORBIDDEN");

        assertThat(me.put(interactivity, body("url", base + "/actions")).status(201).json().get("signingSecret")
                .asString()).startsWith("whsec_");
        me.put(interactivity, body("url", base + "/actions", "rotateSecret", true)).ok();
        me.put(interactivity, body("url", "not a url")).problem(400, "VALIDATION_FAILED");
        anonymous.violating().put(interactivity, body("url", base)).problem(401, "UNAUTHENTICATED");
        unscoped.put(interactivity, body("url", base)).problem(403, "FORBIDDEN");
        me.get(interactivity).ok();
        otherBot.get(interactivity).problem(404, IntegrationProblems.INTERACTIVITY_NOT_FOUND);
        anonymous.violating().get(interactivity).problem(401, "UNAUTHENTICATED");
        unscoped.get(interactivity).problem(403, "FORBIDDEN");

        // running commands, by members
        String conversation = alice.post("/api/v1/conversations/groups", body("name", "Sales",
                "memberIds", List.of(crm.id(), other.id()))).status(201).json().get("id").asString();
        String run = "/api/v1/conversations/" + conversation + "/commands";
        bot.stubFor(post(urlEqualTo("/" + crm.key() + "/customer")).willReturn(okJson("""
                {"responseType": "in_channel", "text": "ACME: 3 deals",
                 "card": {"title": "ACME", "status": "Customer", "fields": [{"label": "Deals", "value": "3"}]}}""")));
        bot.stubFor(post(urlEqualTo("/" + crm.key() + "/report")).willReturn(aResponse().withStatus(202)));
        bot.stubFor(post(urlEqualTo("/" + crm.key() + "/slow")).willReturn(okJson("{}").withFixedDelay(4_500)));
        bot.stubFor(post(urlEqualTo("/" + crm.key() + "/broken")).willReturn(aResponse().withStatus(500)));

        JsonNode posted = alice.post(run, body("text", "/customer ACME")).ok().json();
        assertThat(posted.get("messages")).hasSize(2);
        assertThat(alice.get(run).ok().json().get("items")).hasSize(5);
        alice.post(run, body("text", "/report@" + crm.key() + " weekly")).ok();
        alice.post(run, body("text", "no slash")).problem(400, "VALIDATION_FAILED");
        alice.post(run, body("text", "/nothing")).problem(404, IntegrationProblems.COMMAND_NOT_FOUND);
        alice.post("/api/v1/conversations/" + UUID.randomUUID() + "/commands", body("text", "/customer"))
                .problem(404, ChatProblems.CONVERSATION_NOT_FOUND);
        alice.post(run, body("text", "/report weekly")).problem(409, IntegrationProblems.COMMAND_AMBIGUOUS);
        alice.post(run, body("text", "/broken")).problem(502, IntegrationProblems.COMMAND_FAILED);
        alice.post(run, body("text", "/slow")).problem(504, IntegrationProblems.COMMAND_TIMEOUT);
        outsider.post(run, body("text", "/customer")).problem(403, ChatProblems.NOT_A_MEMBER);
        outsider.get(run).problem(403, ChatProblems.NOT_A_MEMBER);
        anonymous.violating().post(run, body("text", "/customer")).problem(401, "UNAUTHENTICATED");
        anonymous.violating().get(run).problem(401, "UNAUTHENTICATED");
        alice.violating().get("/api/v1/conversations/not-a-uuid/commands").problem(400, "VALIDATION_FAILED");
        alice.get("/api/v1/conversations/" + UUID.randomUUID() + "/commands")
                .problem(404, ChatProblems.CONVERSATION_NOT_FOUND);

        // a later answer, through the response URL
        String responseUrl = clients.json().readTree(bot.findAll(postRequestedFor(urlEqualTo("/" + crm.key() + "/report")))
                .getFirst().getBodyAsString()).get("responseUrl").asString();
        String respond = responseUrl.substring(responseUrl.indexOf("/api/v1/command-responses/"));
        try (StompTestClient aliceLive = clients.stomp(aliceUser)) {
            anonymous.post(respond, body("text", "Only for you", "card", body("title", "Report", "status", null,
                    "fields", List.of(), "actions", List.of()))).ok();
            asyncApi.checkEvent(clients.json().writeValueAsString(aliceLive.awaitEvent("command.response")));
        }
        anonymous.post(respond, body("responseType", "in_channel", "text", "Weekly: green")).ok();
        anonymous.violating().post(respond, body("responseType", "loud", "text", "?")).problem(400, "VALIDATION_FAILED");
        anonymous.post("/api/v1/command-responses/chorus_cmd_nothing", body("text", "?"))
                .problem(404, IntegrationProblems.RESPONSE_URL_NOT_FOUND);

        // removing
        me.delete(commands + "/customer").status(204);
        me.delete(commands + "/customer").problem(404, IntegrationProblems.COMMAND_NOT_FOUND);
        anonymous.violating().delete(commands + "/report").problem(401, "UNAUTHENTICATED");
        unscoped.delete(commands + "/report").problem(403, "FORBIDDEN");
        me.delete(interactivity).status(204);
        me.delete(interactivity).problem(404, IntegrationProblems.INTERACTIVITY_NOT_FOUND);
        anonymous.violating().delete(interactivity).problem(401, "UNAUTHENTICATED");
        unscoped.delete(interactivity).problem(403, "FORBIDDEN");

        assertThat(openApi.unseenResponses().stream().filter(CommandContractTest::commandResponse))
                .as("documented command responses the walkthrough never saw: exercise them, or remove them from "
                        + "%s if the application cannot answer so", OpenApiContract.LOCATION).isEmpty();
        assertThat(asyncApi.checkedMessages()).containsAll(LIVE_MESSAGES);
    }

    private ContractClient client(TestBot testBot) {
        return ContractClient.as(clients, openApi, new TestUser(testBot.id(), testBot.key(), testBot.token()));
    }
}
