package io.chorus.contract;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.TestBots;
import io.chorus.support.TestBots.TestBot;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Bots, their tokens and what only integrations call, against {@code frontend-contract/openapi.yaml}:
 * every documented response of these operations is shown by a real exchange. Other integration
 * walkthroughs (webhooks, commands) show their own; {@link ContractTest} leaves all of them here.
 */
@ChorusIntegrationTest
class IntegrationContractTest {

    private static final String BOTS = "/api/v1/bots";
    /** Card refusals past capacity or budget are shown with the send refusals. */
    private static final Set<String> ELSEWHERE = Set.of("POST /api/v1/conversations/{}/cards 429",
            "POST /api/v1/conversations/{}/cards 503");

    private static OpenApiContract openApi;

    @Autowired
    TestClients clients;

    @BeforeAll
    static void loadDocument() {
        openApi = OpenApiContract.load();
    }

    /** Whether a documented response ("METHOD /path status") belongs to an integration walkthrough. */
    static boolean integrationResponse(String response) {
        return response.contains(" /api/v1/bots") || response.contains(" /api/v1/integration/")
                || response.contains(" /api/v1/hooks/") || response.contains("/cards")
                || response.contains("/incoming-webhooks") || response.contains("/commands")
                || response.contains(" /api/v1/command-responses/");
    }

    /** The responses of this walkthrough's own operations. */
    private static boolean mine(String response) {
        return response.contains(" /api/v1/bots") || response.contains(" /api/v1/integration/me ")
                || response.contains(" /api/v1/integration/groups/") || response.contains("/cards");
    }

    @Test
    void everyBotAndCardOperationAnswersAsDocumented() {
        TestUser adminUser = clients.orgAdmin();
        TestUser ownerUser = clients.user("owner");
        TestUser memberUser = clients.user("member");
        TestUser officerOnly = clients.user("officer", List.of("compliance_officer"));
        ContractClient admin = client(adminUser);
        ContractClient owner = client(ownerUser);
        ContractClient notEmployee = client(officerOnly);
        ContractClient anonymous = ContractClient.anonymous(clients, openApi).violating();
        String key = "crm-" + UUID.randomUUID().toString().substring(0, 8);

        // bots
        String botId = admin.post(BOTS, body("key", key, "displayName", "CRM", "ownerId", ownerUser.id()))
                .status(201).json().get("id").asString();
        String bot = BOTS + "/" + botId;
        admin.violating().post(BOTS, body("key", "x", "displayName", "CRM")).status(400);
        admin.post(BOTS, body("key", key, "displayName", "Again")).status(409);
        admin.post(BOTS, body("key", "other-" + key, "displayName", "CRM", "ownerId", UUID.randomUUID())).status(422);
        owner.post(BOTS, body("key", "mine-" + key, "displayName", "Mine")).status(403);
        anonymous.post(BOTS, body("key", "anon-" + key, "displayName", "Anon")).status(401);
        owner.get(BOTS).ok();
        notEmployee.get(BOTS).status(403);
        anonymous.get(BOTS).status(401);

        owner.get(bot).ok();
        owner.violating().get(BOTS + "/not-a-uuid").status(400);
        anonymous.get(bot).status(401);
        notEmployee.get(bot).status(403);
        client(memberUser).get(bot).status(404);

        owner.patch(bot, body("displayName", "CRM bot")).ok();
        owner.violating().patch(bot, body("disabled", "yes")).status(400);
        anonymous.patch(bot, body("displayName", "x")).status(401);
        owner.patch(bot, body("ownerId", memberUser.id())).status(403);
        client(memberUser).patch(bot, body("displayName", "x")).status(404);
        admin.patch(bot, body("ownerId", UUID.randomUUID())).status(422);

        // tokens
        String tokens = bot + "/tokens";
        var issued = owner.post(tokens, body("name", "crm", "scopes", List.of("messages:write", "messages:read")))
                .status(201).json();
        String tokenId = issued.get("details").get("id").asString();
        owner.violating().post(tokens, body("scopes", List.of("everything"))).status(400);
        anonymous.post(tokens, body("scopes", List.of("org:read"))).status(401);
        notEmployee.post(tokens, body("scopes", List.of("org:read"))).status(403);
        client(memberUser).post(tokens, body("scopes", List.of("org:read"))).status(404);
        owner.get(tokens).ok();
        owner.violating().get(BOTS + "/nope/tokens").status(400);
        anonymous.get(tokens).status(401);
        notEmployee.get(tokens).status(403);
        client(memberUser).get(tokens).status(404);

        String rotate = tokens + "/" + tokenId + "/rotate";
        String successor = owner.post(rotate, null).status(201).json().get("token").asString();
        owner.post(rotate, null).status(409);
        owner.violating().post(tokens + "/nope/rotate", null).status(400);
        anonymous.post(rotate, null).status(401);
        notEmployee.post(rotate, null).status(403);
        owner.post(tokens + "/" + UUID.randomUUID() + "/rotate", null).status(404);

        String revokeOld = tokens + "/" + tokenId;
        owner.delete(revokeOld).status(204);
        owner.violating().delete(tokens + "/nope").status(400);
        anonymous.delete(revokeOld).status(401);
        notEmployee.delete(revokeOld).status(403);
        owner.delete(tokens + "/" + UUID.randomUUID()).status(404);

        // what the bot calls
        ContractClient crm = client(new TestUser(UUID.fromString(botId), key, successor));
        crm.get("/api/v1/integration/me").ok();
        anonymous.get("/api/v1/integration/me").status(401);
        owner.get("/api/v1/integration/me").status(403);

        String groups = "/api/v1/integration/groups/";
        String group = crm.put(groups + "PO-4711", body("name", "PO 4711", "memberIds", List.of(memberUser.id())))
                .status(201).json().get("id").asString();
        crm.put(groups + "PO-4711", body("name", "PO 4711 again")).status(200);
        crm.violating().put(groups + "PO-4712", body("memberIds", List.of())).status(400);
        anonymous.put(groups + "PO-4711", body("name", "x")).status(401);
        TestBot readOnly = new TestBots(clients).bot("messages:read");
        client(new TestUser(readOnly.id(), readOnly.key(), readOnly.token())).put(groups + "PO-1", body("name", "x"))
                .status(403);
        crm.put(groups + "PO-4713", body("name", "x", "memberIds", List.of(UUID.randomUUID()))).status(422);

        String cards = "/api/v1/conversations/" + group + "/cards";
        var card = body("title", "PO 4711 approved", "status", "Approved",
                "fields", List.of(body("label", "Amount", "value", "¥12,000")));
        long messageId = crm.post(cards, body("clientMessageId", "po-4711", "card", card)).status(201).json()
                .get("id").asLong();
        crm.post(cards, body("clientMessageId", "po-4711", "card", card)).status(200);
        crm.violating().post(cards, body("clientMessageId", "po-x", "card", body("title", ""))).status(400);
        // a select: the member picks one of the options and the bot receives its value
        var route = body("id", "route", "label", "Route", "style", "PRIMARY", "value", "po-4711", "method", null,
                "path", null, "input", body("name", "team", "label", "Team", "required", true, "maxLength", 20,
                        "options", List.of(body("value", "finance", "label", "Finance"),
                                body("value", "legal", "label", "Legal"))));
        assertThat(crm.post(cards, body("clientMessageId", "po-4711-route", "card",
                body("title", "PO 4711", "actions", List.of(route)))).status(201).json()
                .at("/card/actions/0/input/options/1/label").asString()).isEqualTo("Legal");
        route.put("input", body("name", "team", "label", "Team", "required", true, "maxLength", 20,
                "options", List.of(body("value", "finance", "label", ""))));
        crm.violating().post(cards, body("clientMessageId", "po-x", "card",
                body("title", "PO 4711", "actions", List.of(route)))).problem(400, "VALIDATION_FAILED");
        anonymous.post(cards, body("clientMessageId", "po-x", "card", card)).status(401);
        client(memberUser).post(cards, body("clientMessageId", "po-x", "card", card)).status(403);
        crm.post("/api/v1/conversations/" + UUID.randomUUID() + "/cards", body("clientMessageId", "po-y", "card", card))
                .status(404);
        String direct = client(memberUser).post("/api/v1/conversations/direct", body("userId", ownerUser.id()))
                .json().get("id").asString();
        crm.post("/api/v1/conversations/" + direct + "/cards", body("clientMessageId", "po-z", "card", card))
                .problem(403, "NOT_A_MEMBER");
        long text = client(memberUser).post("/api/v1/conversations/" + group + "/messages",
                body("clientMessageId", "m-1", "text", "thanks")).status(201).json().get("id").asLong();
        crm.post(cards, body("clientMessageId", "m-1-card", "card", card)).status(201);
        crm.post(cards, body("clientMessageId", "po-4711", "card", body("title", "Different"))).status(200);

        String replace = cards + "/" + messageId;
        crm.put(replace, body("card", body("title", "PO 4711 shipped", "status", "Shipped"))).ok();
        crm.violating().put(replace, body("card", body("title", "x".repeat(201)))).status(400);
        anonymous.put(replace, body("card", card)).status(401);
        client(memberUser).put(replace, body("card", card)).status(403);
        crm.put(cards + "/999999999", body("card", card)).status(404);
        crm.put(cards + "/" + text, body("card", card)).status(403);
        crm.post("/api/v1/conversations/" + group + "/messages/" + messageId + "/recall", null).ok();
        crm.put(replace, body("card", card)).status(409);

        // a client message id used for text answers 409 when reused for a card
        crm.post("/api/v1/conversations/" + group + "/messages", body("clientMessageId", "t-1", "text", "hello"))
                .status(201);
        crm.post(cards, body("clientMessageId", "t-1", "card", card)).status(409);

        assertThat(openApi.unseenResponses().stream().filter(IntegrationContractTest::mine)
                .filter(response -> !ELSEWHERE.contains(response)))
                .as("documented integration responses the walkthrough never saw").isEmpty();
    }

    private ContractClient client(TestUser user) {
        return ContractClient.as(clients, openApi, user);
    }
}
