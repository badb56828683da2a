package io.chorus.integration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.standardwebhooks.Webhook;
import io.chorus.audit.AuditTrail;
import io.chorus.chat.Card;
import io.chorus.chat.Cards;
import io.chorus.chat.ConversationId;
import io.chorus.chat.MessageView;
import io.chorus.chat.PostCard;
import io.chorus.identity.UserId;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.StompTestClient;
import io.chorus.support.TestBots;
import io.chorus.support.TestBots.TestBot;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Slash commands and interactive cards end to end: a bot registers with its token, a member's
 * command reaches the bot (WireMock) signed, and the bot's answer is posted for everyone, shown
 * to the caller alone, or sent later through the response URL; a card action reaches the bot's
 * interactivity endpoint and its answer replaces the card in place.
 */
@ChorusIntegrationTest
class SlashCommandsTest {

    private static final WireMockServer bot = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

    @Autowired
    TestClients clients;

    @Autowired
    Cards cards;

    @Autowired
    AuditTrail trail;

    @Autowired
    JdbcClient jdbc;

    private TestBots bots;

    @BeforeAll
    static void startBot() {
        bot.start();
    }

    @AfterAll
    static void stopBot() {
        bot.stop();
    }

    @BeforeEach
    void setUp() {
        bots = new TestBots(clients);
    }

    /** A bot with {@code webhooks:manage} and {@code /name} registered at its own WireMock path; returns the signing secret. */
    private String register(TestBot testBot, String name) {
        JsonNode registered = testBot.api().exchange(org.springframework.http.HttpMethod.PUT,
                "/api/v1/integration/commands/" + name, body("url", endpoint(testBot, name),
                        "description", "Looks a customer up", "usageHint", "[customer name]"))
                .status(201).json();
        return registered.get("signingSecret").asString();
    }

    private String endpoint(TestBot testBot, String name) {
        return bot.baseUrl() + path(testBot, name);
    }

    private static String path(TestBot testBot, String name) {
        return "/" + testBot.key() + "/" + name;
    }

    private String group(TestUser owner, UUID... members) {
        return clients.rest(owner).post("/api/v1/conversations/groups", body("name", "Sales",
                "memberIds", List.of(members))).status(201).json().get("id").asString();
    }

    private RestApi.Response invoke(TestUser caller, String conversation, String text) {
        return clients.rest(caller).post("/api/v1/conversations/" + conversation + "/commands", body("text", text));
    }

    private List<JsonNode> history(TestUser reader, String conversation) {
        List<JsonNode> items = new ArrayList<>();
        clients.rest(reader).get("/api/v1/conversations/" + conversation + "/messages?limit=100").ok().json()
                .get("items").forEach(items::add);
        return items;
    }

    private List<LoggedRequest> received(String path) {
        return bot.findAll(postRequestedFor(urlEqualTo(path)));
    }

    /** Checks the request the way an integrator would: with the Standard Webhooks library and the secret it was given. */
    private JsonNode verified(LoggedRequest request, String secret) {
        String payload = request.getBodyAsString();
        Map<String, List<String>> headers = Map.of(
                "webhook-id", List.of(request.getHeader("webhook-id")),
                "webhook-timestamp", List.of(request.getHeader("webhook-timestamp")),
                "webhook-signature", List.of(request.getHeader("webhook-signature")));
        assertThatCode(() -> new Webhook(secret).verify(payload, headers)).doesNotThrowAnyException();
        assertThat(request.getHeader("webhook-id")).isNotBlank();
        return clients.json().readTree(payload);
    }

    @Test
    void aBotRegistersItsCommandsWithItsTokenAndTheSecretIsShownOnce() {
        TestBot crm = bots.bot("webhooks:manage");
        String secret = register(crm, "customer");
        assertThat(secret).startsWith("whsec_");

        JsonNode changed = crm.api().exchange(org.springframework.http.HttpMethod.PUT,
                "/api/v1/integration/commands/customer", body("url", endpoint(crm, "customer") + "?v=2")).ok().json();
        assertThat(changed.get("url").asString()).endsWith("?v=2");
        assertThat(changed.path("signingSecret").isMissingNode() || changed.get("signingSecret").isNull()).isTrue();
        JsonNode rotated = crm.api().exchange(org.springframework.http.HttpMethod.PUT,
                "/api/v1/integration/commands/customer", body("url", endpoint(crm, "customer"), "usageHint", "[name]", "rotateSecret", true))
                .ok().json();
        assertThat(rotated.get("signingSecret").asString()).startsWith("whsec_").isNotEqualTo(secret);

        JsonNode list = crm.api().get("/api/v1/integration/commands").ok().json();
        assertThat(list.get("items")).hasSize(1);
        assertThat(list.at("/items/0/name").asString()).isEqualTo("customer");
        assertThat(list.at("/items/0/usageHint").asString()).as("a PUT replaces the whole registration").isEqualTo("[name]");
        assertThat(list.at("/items/0/url").asString()).isEqualTo(endpoint(crm, "customer"));

        crm.api().exchange(org.springframework.http.HttpMethod.PUT, "/api/v1/integration/commands/Bad_Name",
                body("url", endpoint(crm, "x"))).problem(400, "VALIDATION_FAILED");
        crm.api().exchange(org.springframework.http.HttpMethod.PUT, "/api/v1/integration/commands/ftp",
                body("url", "ftp://example.com/x")).problem(400, "VALIDATION_FAILED");
        bots.bot("messages:write").api().get("/api/v1/integration/commands").status(403);
        clients.rest(clients.user("alice")).get("/api/v1/integration/commands").status(403);

        crm.api().delete("/api/v1/integration/commands/customer").status(204);
        crm.api().get("/api/v1/integration/commands/customer").problem(404, IntegrationProblems.COMMAND_NOT_FOUND);

        Awaitility.await().untilAsserted(() -> {
            trail.flush();
            assertThat(jdbc.sql("SELECT action FROM audit.entry WHERE target_id = :bot AND action LIKE 'bot.command%'"
                            + " ORDER BY seq").param("bot", crm.id().toString()).query(String.class).list())
                    .containsExactly("bot.command_registered", "bot.command_changed", "bot.command_changed",
                            "bot.command_removed");
        });
        String detail = jdbc.sql("SELECT detail FROM audit.entry WHERE target_id = :bot AND action = 'bot.command_changed'"
                + " ORDER BY seq DESC LIMIT 1").param("bot", crm.id().toString()).query(String.class).single();
        assertThat(detail).contains("\"secretIssued\":true").doesNotContain("whsec_");
    }

    @Test
    void aCommandAnsweredInChannelIsPostedAsTheBotAfterASignedRequest() {
        TestBot crm = bots.bot("webhooks:manage");
        String secret = register(crm, "customer");
        bot.stubFor(post(urlEqualTo(path(crm, "customer"))).willReturn(okJson("""
                {"responseType": "in_channel", "text": "ACME Corp: 3 open deals"}""")));
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String conversation = group(alice, bob.id(), crm.id());

        JsonNode reply = invoke(alice, conversation, "/customer   ACME Corp ").ok().json();

        assertThat(reply.get("responseType").asString()).isEqualTo("in_channel");
        assertThat(reply.get("botKey").asString()).isEqualTo(crm.key());
        assertThat(reply.at("/messages/0/senderId").asString()).isEqualTo(crm.id().toString());
        assertThat(reply.at("/messages/0/text").asString()).isEqualTo("ACME Corp: 3 open deals");
        List<LoggedRequest> requests = received(path(crm, "customer"));
        assertThat(requests).hasSize(1);
        JsonNode payload = verified(requests.getFirst(), secret);
        assertThat(payload.get("type").asString()).isEqualTo("command");
        assertThat(payload.get("command").asString()).isEqualTo("/customer");
        assertThat(payload.get("text").asString()).isEqualTo("ACME Corp");
        assertThat(payload.get("userId").asString()).isEqualTo(alice.id().toString());
        assertThat(payload.get("username").asString()).isEqualTo(alice.username());
        assertThat(payload.get("conversationId").asString()).isEqualTo(conversation);
        assertThat(payload.get("id").asString()).isEqualTo(reply.get("invocationId").asString())
                .isEqualTo(requests.getFirst().getHeader("webhook-id"));
        // the configured public address, whatever address the request came in by
        assertThat(payload.get("responseUrl").asString())
                .startsWith("http://localhost:8080/api/v1/command-responses/chorus_cmd_");

        List<JsonNode> seenByBob = history(bob, conversation);
        assertThat(seenByBob).hasSize(1);
        assertThat(seenByBob.getFirst().get("senderId").asString()).isEqualTo(crm.id().toString());
        assertThat(seenByBob.getFirst().get("text").asString()).isEqualTo("ACME Corp: 3 open deals");

        JsonNode available = clients.rest(bob).get("/api/v1/conversations/" + conversation + "/commands").ok().json();
        assertThat(available.get("items")).hasSize(1);
        assertThat(available.at("/items/0/name").asString()).isEqualTo("customer");
        assertThat(available.at("/items/0/botKey").asString()).isEqualTo(crm.key());
    }

    @Test
    void anEphemeralAnswerGoesToTheCallerAloneAndNothingIsStored() {
        TestBot crm = bots.bot("webhooks:manage");
        register(crm, "customer");
        bot.stubFor(post(urlEqualTo(path(crm, "customer"))).willReturn(okJson("""
                {"responseType": "ephemeral", "text": "Only you see this",
                 "card": {"title": "ACME Corp", "fields": [{"label": "Deals", "value": "3"}]}}""")));
        TestUser alice = clients.user("alice");
        String conversation = group(alice, crm.id());

        JsonNode reply = invoke(alice, conversation, "/customer ACME").ok().json();

        assertThat(reply.get("responseType").asString()).isEqualTo("ephemeral");
        assertThat(reply.get("text").asString()).isEqualTo("Only you see this");
        assertThat(reply.at("/card/fields/0/value").asString()).isEqualTo("3");
        assertThat(reply.get("messages")).isEmpty();
        assertThat(history(alice, conversation)).isEmpty();
    }

    @Test
    void aBotAnswersLaterThroughTheResponseUrlAFewTimesOnly() {
        TestBot crm = bots.bot("webhooks:manage");
        register(crm, "report");
        bot.stubFor(post(urlEqualTo(path(crm, "report"))).willReturn(aResponse().withStatus(200)));
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String conversation = group(alice, bob.id(), crm.id());

        JsonNode reply = invoke(alice, conversation, "/report weekly").ok().json();
        assertThat(reply.get("responseType").asString()).isEqualTo("none");
        assertThat(history(alice, conversation)).isEmpty();
        String responseUrl = clients.json().readTree(received(path(crm, "report")).getFirst().getBodyAsString())
                .get("responseUrl").asString();
        String responsePath = responseUrl.substring(responseUrl.indexOf("/api/v1/command-responses/"));
        RestApi anyone = clients.anonymous();

        JsonNode later = anyone.post(responsePath, body("responseType", "in_channel", "text", "Weekly report: all green"))
                .ok().json();
        assertThat(later.at("/messages/0/senderId").asString()).isEqualTo(crm.id().toString());
        assertThat(history(bob, conversation)).extracting(message -> message.get("text").asString())
                .containsExactly("Weekly report: all green");

        try (StompTestClient aliceLive = clients.stomp(alice); StompTestClient bobLive = clients.stomp(bob)) {
            anyone.post(responsePath, body("text", "Details for you only")).ok();
            JsonNode event = aliceLive.awaitEvent("command.response");
            assertThat(event.get("conversationId").asString()).isEqualTo(conversation);
            assertThat(event.get("botId").asString()).isEqualTo(crm.id().toString());
            assertThat(event.get("command").asString()).isEqualTo("/report");
            assertThat(event.get("text").asString()).isEqualTo("Details for you only");
            anyone.post(responsePath, body("responseType", "in_channel", "text", "Third")).ok();
            bobLive.awaitEvent(e -> e.at("/message/text").isString() && e.at("/message/text").asString().equals("Third"));
            assertThat(bobLive.drainEvents()).noneMatch(e -> e.get("type").asString().equals("command.response"));
        }
        assertThat(history(bob, conversation)).hasSize(2);

        anyone.post(responsePath, body("card", body("title", ""))).problem(400, "VALIDATION_FAILED");
        anyone.post(responsePath, body("responseType", "in_channel", "text", "Fourth")).ok();
        anyone.post(responsePath, body("responseType", "in_channel", "text", "Fifth")).ok();
        anyone.post(responsePath, body("responseType", "in_channel", "text", "Sixth"))
                .problem(404, IntegrationProblems.RESPONSE_URL_NOT_FOUND);
        anyone.post("/api/v1/command-responses/chorus_cmd_forged", body("text", "Hello"))
                .problem(404, IntegrationProblems.RESPONSE_URL_NOT_FOUND);
        assertThat(history(bob, conversation)).extracting(message -> message.get("text").asString())
                .containsExactly("Weekly report: all green", "Third", "Fourth", "Fifth");
    }

    @Test
    void aCommandNoBotOfTheConversationHasIsNotFound() {
        TestBot crm = bots.bot("webhooks:manage");
        register(crm, "customer");
        TestUser alice = clients.user("alice");
        String withBot = group(alice, crm.id());
        String withoutBot = group(alice, clients.user("bob").id());

        invoke(alice, withBot, "/nosuchcommand").problem(404, IntegrationProblems.COMMAND_NOT_FOUND);
        invoke(alice, withoutBot, "/customer ACME").problem(404, IntegrationProblems.COMMAND_NOT_FOUND);
        invoke(clients.user("mallory"), withBot, "/customer ACME").problem(403, "NOT_A_MEMBER");
        invoke(alice, withBot, "customer ACME").problem(400, "VALIDATION_FAILED");
        assertThat(received(path(crm, "customer"))).isEmpty();
    }

    @Test
    void twoBotsOfAConversationWithTheSameCommandAreToldApartByKey() {
        TestBot first = bots.bot("webhooks:manage");
        TestBot second = bots.bot("webhooks:manage");
        register(first, "deploy");
        register(second, "deploy");
        bot.stubFor(post(urlEqualTo(path(second, "deploy"))).willReturn(okJson("""
                {"text": "Deploying"}""")));
        TestUser alice = clients.user("alice");
        String conversation = group(alice, first.id(), second.id());

        String detail = invoke(alice, conversation, "/deploy now").problem(409, IntegrationProblems.COMMAND_AMBIGUOUS)
                .json().get("detail").asString();
        assertThat(detail).contains("/deploy@" + first.key(), "/deploy@" + second.key());

        JsonNode reply = invoke(alice, conversation, "/deploy@" + second.key() + " now").ok().json();
        assertThat(reply.get("botId").asString()).isEqualTo(second.id().toString());
        assertThat(reply.get("responseType").asString()).as("no responseType: ephemeral").isEqualTo("ephemeral");
        assertThat(received(path(first, "deploy"))).isEmpty();
    }

    @Test
    void aBotThatFailsOrIsTooSlowIsReportedToTheCaller() {
        TestBot crm = bots.bot("webhooks:manage");
        register(crm, "slow");
        register(crm, "broken");
        register(crm, "garbled");
        bot.stubFor(post(urlEqualTo(path(crm, "slow"))).willReturn(okJson("""
                {"responseType": "in_channel", "text": "Too late"}""").withFixedDelay(4_500)));
        bot.stubFor(post(urlEqualTo(path(crm, "broken"))).willReturn(aResponse().withStatus(500)));
        bot.stubFor(post(urlEqualTo(path(crm, "garbled"))).willReturn(okJson("""
                {"responseType": "in_channel", "card": {"title": ""}}""")));
        TestUser alice = clients.user("alice");
        String conversation = group(alice, crm.id());

        invoke(alice, conversation, "/slow").problem(504, IntegrationProblems.COMMAND_TIMEOUT);
        invoke(alice, conversation, "/broken").problem(502, IntegrationProblems.COMMAND_FAILED);
        invoke(alice, conversation, "/garbled").problem(502, IntegrationProblems.COMMAND_FAILED);
        assertThat(history(alice, conversation)).isEmpty();
    }

    @Test
    void aCardActionReachesTheBotSignedAndItsAnswerReplacesTheCard() {
        TestBot crm = bots.bot("webhooks:manage");
        JsonNode registered = crm.api().exchange(org.springframework.http.HttpMethod.PUT,
                "/api/v1/integration/interactivity", body("url", endpoint(crm, "actions"))).status(201).json();
        String secret = registered.get("signingSecret").asString();
        bot.stubFor(post(urlEqualTo(path(crm, "actions"))).willReturn(okJson("""
                {"card": {"title": "Deal 7", "status": "Won", "fields": [{"label": "Closed by", "value": "alice"}]}}""")));
        TestUser alice = clients.user("alice");
        String conversation = group(alice, crm.id());
        MessageView card = cards.post(new PostCard(ConversationId.of(UUID.fromString(conversation)), UserId.of(crm.id()),
                "deal-7", new Card("Deal 7", "Open", List.of(), List.of(
                        new Card.Action("won", "Mark won", Card.ActionStyle.PRIMARY, "deal-7", null, null,
                                new Card.Input("note", "Note", false, 200))))));

        try (StompTestClient aliceLive = clients.stomp(alice)) {
            aliceLive.sendWithReceipt("/app/conversations/" + conversation + "/messages/" + card.id() + "/actions/won",
                    Map.of("input", "Signed today"));
            JsonNode updated = aliceLive.awaitEvent("message.updated").get("message");
            assertThat(updated.get("id").asLong()).isEqualTo(card.id());
            assertThat(updated.at("/card/status").asString()).isEqualTo("Won");
        }
        JsonNode payload = verified(received(path(crm, "actions")).getFirst(), secret);
        assertThat(payload.get("type").asString()).isEqualTo("card.action");
        assertThat(payload.get("actionId").asString()).isEqualTo("won");
        assertThat(payload.get("value").asString()).isEqualTo("deal-7");
        assertThat(payload.get("input").asString()).isEqualTo("Signed today");
        assertThat(payload.get("userId").asString()).isEqualTo(alice.id().toString());
        assertThat(payload.get("messageId").asLong()).isEqualTo(card.id());
        assertThat(payload.get("conversationId").asString()).isEqualTo(conversation);
        JsonNode stored = history(alice, conversation).getFirst();
        assertThat(stored.at("/card/status").asString()).isEqualTo("Won");
        assertThat(stored.at("/card/fields/0/value").asString()).isEqualTo("alice");
        assertThat(stored.get("version").asInt()).isEqualTo(2);
    }

    @Test
    void aSelectOnABotsCardSendsThePickedValueAndRefusesAnythingElse() {
        TestBot crm = bots.bot("webhooks:manage", "messages:write");
        JsonNode registered = crm.api().exchange(org.springframework.http.HttpMethod.PUT,
                "/api/v1/integration/interactivity", body("url", endpoint(crm, "actions"))).status(201).json();
        String secret = registered.get("signingSecret").asString();
        bot.stubFor(post(urlEqualTo(path(crm, "actions"))).willReturn(okJson("""
                {"card": {"title": "Ticket 42", "status": "Routed", "fields": [{"label": "Team", "value": "Legal"}]}}""")));
        TestUser alice = clients.user("alice");
        String conversation = group(alice, crm.id());
        JsonNode posted = crm.api().post("/api/v1/conversations/" + conversation + "/cards", body(
                "clientMessageId", "ticket-42", "card", body("title", "Ticket 42", "status", "New",
                        "actions", List.of(body("id", "route", "label", "Route", "style", "PRIMARY", "value", "ticket-42",
                                "input", body("name", "team", "label", "Team", "required", true, "maxLength", 20,
                                        "options", List.of(body("value", "finance", "label", "Finance"),
                                                body("value", "legal", "label", "Legal – contracts"))))))))
                .status(201).json();
        assertThat(posted.at("/card/actions/0/input/options/1/label").asString()).isEqualTo("Legal – contracts");
        String route = "/app/conversations/" + conversation + "/messages/" + posted.get("id").asLong() + "/actions/route";

        try (StompTestClient aliceLive = clients.stomp(alice)) {
            aliceLive.send(route, Map.of("input", "Legal – contracts"));
            JsonNode refused = aliceLive.awaitError();
            assertThat(refused.get("code").asString()).isEqualTo("VALIDATION_FAILED");
            assertThat(refused.get("detail").asString()).contains("select");

            aliceLive.sendWithReceipt(route, Map.of("input", "legal"));
            assertThat(aliceLive.awaitEvent("message.updated").at("/message/card/status").asString()).isEqualTo("Routed");
        }
        // The action is relayed while the member's frame waits: a refused value would have reached the bot before its error.
        List<LoggedRequest> requests = received(path(crm, "actions"));
        assertThat(requests).as("only the accepted pick reaches the bot").hasSize(1);
        JsonNode payload = verified(requests.getFirst(), secret);
        assertThat(payload.get("actionId").asString()).isEqualTo("route");
        assertThat(payload.get("value").asString()).isEqualTo("ticket-42");
        assertThat(payload.get("input").asString()).isEqualTo("legal");
        JsonNode stored = history(alice, conversation).getFirst();
        assertThat(stored.get("id").asLong()).isEqualTo(posted.get("id").asLong());
        assertThat(stored.at("/card/status").asString()).isEqualTo("Routed");
        assertThat(stored.at("/card/fields/0/value").asString()).isEqualTo("Legal");
        assertThat(stored.get("version").asInt()).isEqualTo(2);
    }

    @Test
    void aCardActionTheBotFailsIsRefusedToTheMember() {
        TestBot crm = bots.bot("webhooks:manage");
        crm.api().exchange(org.springframework.http.HttpMethod.PUT, "/api/v1/integration/interactivity",
                body("url", endpoint(crm, "actions"))).status(201);
        bot.stubFor(post(urlEqualTo(path(crm, "actions"))).willReturn(aResponse().withStatus(503)));
        TestUser alice = clients.user("alice");
        String conversation = group(alice, crm.id());
        MessageView card = cards.post(new PostCard(ConversationId.of(UUID.fromString(conversation)), UserId.of(crm.id()),
                "deal-8", new Card("Deal 8", "Open", List.of(), List.of(
                        new Card.Action("won", "Mark won", Card.ActionStyle.PRIMARY, "deal-8", null, null, null)))));

        try (StompTestClient aliceLive = clients.stomp(alice)) {
            aliceLive.send("/app/conversations/" + conversation + "/messages/" + card.id() + "/actions/won", Map.of());
            JsonNode error = aliceLive.awaitError();
            assertThat(error.get("code").asString()).isEqualTo(IntegrationProblems.CARD_ACTION_FAILED);
            assertThat(error.get("status").asInt()).isEqualTo(502);
        }
        assertThat(received(path(crm, "actions"))).hasSize(1);
        assertThat(history(alice, conversation).getFirst().get("version").asInt()).isEqualTo(1);
    }

    @Test
    void aSlowBotHoldsOnlyAFewInboundThreadsWithItsCardActions() {
        TestBot crm = bots.bot("webhooks:manage");
        crm.api().exchange(org.springframework.http.HttpMethod.PUT, "/api/v1/integration/interactivity",
                body("url", endpoint(crm, "actions"))).status(201);
        bot.stubFor(post(urlEqualTo(path(crm, "actions"))).willReturn(okJson("{}").withFixedDelay(2_000)));
        TestUser alice = clients.user("alice");
        List<TestUser> others = List.of(clients.user("m1"), clients.user("m2"), clients.user("m3"), clients.user("m4"));
        UUID[] members = java.util.stream.Stream.concat(others.stream().map(TestUser::id), java.util.stream.Stream.of(crm.id()))
                .toArray(UUID[]::new);
        String conversation = group(alice, members);
        MessageView card = cards.post(new PostCard(ConversationId.of(UUID.fromString(conversation)), UserId.of(crm.id()),
                "deal-9", new Card("Deal 9", "Open", List.of(), List.of(
                        new Card.Action("won", "Mark won", Card.ActionStyle.PRIMARY, "deal-9", null, null, null)))));
        String route = "/app/conversations/" + conversation + "/messages/" + card.id() + "/actions/won";

        List<StompTestClient> live = new ArrayList<>();
        try {
            live.add(clients.stomp(alice));
            others.forEach(member -> live.add(clients.stomp(member)));
            live.forEach(member -> member.send(route, Map.of()));
            List<JsonNode> errors = new ArrayList<>();
            Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
                live.forEach(member -> errors.addAll(member.drainErrors()));
                return received(path(crm, "actions")).size() == 4 && errors.size() == 1; // CardActionRelay.MAX_WAITING
            });
            assertThat(errors.getFirst().get("code").asString()).isEqualTo(IntegrationProblems.CARD_ACTION_FAILED);
            assertThat(errors.getFirst().get("detail").asString()).contains("Too many card actions");
        } finally {
            live.forEach(StompTestClient::close);
        }
    }

}
