package io.chorus.contract;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.integration.IntegrationProblems;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.TestBots;
import io.chorus.support.TestBots.TestBot;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The outgoing webhook endpoints against {@code frontend-contract/openapi.yaml}: every documented
 * response of {@code /api/v1/integration/subscriptions/**} is shown by a real exchange, and every
 * exchange matches the document. {@link ContractTest} leaves these responses to this walkthrough.
 */
@ChorusIntegrationTest
class WebhookContractTest {

    private static final String SUBSCRIPTIONS = "/api/v1/integration/subscriptions";
    /** Nobody listens there: deliveries stay in the log, failing, which is all this walkthrough needs. */
    private static final String URL = "https://127.0.0.1:9/hooks";

    private static OpenApiContract openApi;

    @Autowired
    TestClients clients;
    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    static void loadDocument() {
        openApi = OpenApiContract.load();
    }

    static boolean webhookResponse(String response) {
        return response.contains(" /api/v1/integration/subscriptions");
    }

    @Test
    void everySubscriptionOperationAnswersAsDocumented() {
        TestUser alice = clients.user("alice");
        TestBot botUser = new TestBots(clients).bot("webhooks:manage", "messages:read");
        TestBot narrowUser = new TestBots(clients).bot("webhooks:manage");
        ContractClient bot = ContractClient.as(clients, openApi, new TestUser(botUser.id(), botUser.key(),
                botUser.token()));
        ContractClient narrow = ContractClient.as(clients, openApi, new TestUser(narrowUser.id(), narrowUser.key(),
                narrowUser.token()));
        ContractClient person = ContractClient.as(clients, openApi, alice);
        ContractClient anonymous = ContractClient.anonymous(clients, openApi);

        String group = clients.rest(alice).post("/api/v1/conversations/groups", body("name", "Contract hooks",
                "memberIds", List.of(botUser.id()))).status(201).json().get("id").asString();
        String id = bot.post(SUBSCRIPTIONS, body("url", URL, "eventTypes", List.of("message.posted", "bot.mentioned"),
                "conversationIds", List.of(group), "description", "contract")).status(201).json()
                .get("subscription").get("id").asString();
        bot.violating().post(SUBSCRIPTIONS, body("url", URL, "eventTypes", List.of("no.such")))
                .problem(400, IntegrationProblems.UNKNOWN_EVENT_TYPE);
        narrow.post(SUBSCRIPTIONS, body("url", URL, "eventTypes", List.of("member.added")))
                .problem(403, IntegrationProblems.EVENT_SCOPE_MISSING);
        bot.get(SUBSCRIPTIONS).ok();
        bot.get(SUBSCRIPTIONS + "/" + id).ok();
        bot.patch(SUBSCRIPTIONS + "/" + id, body("description", "changed")).ok();
        bot.patch(SUBSCRIPTIONS + "/" + id, body("url", "ftp://example.com")).problem(400,
                IntegrationProblems.WEBHOOK_URL_INVALID);
        narrow.patch(SUBSCRIPTIONS + "/" + id, body("description", "not mine"))
                .problem(404, IntegrationProblems.SUBSCRIPTION_NOT_FOUND);
        bot.post(SUBSCRIPTIONS + "/" + id + "/secret/rotate", null).ok();

        clients.rest(alice).post("/api/v1/conversations/" + group + "/messages",
                body("clientMessageId", "contract-hook", "text", "hello @" + botUser.key())).status(201);
        String deliveries = SUBSCRIPTIONS + "/" + id + "/deliveries";
        Awaitility.await().until(() -> bot.get(deliveries).ok().json().get("items").size() == 2);
        String delivery = bot.get(deliveries + "?limit=1&status=PENDING").ok().json().get("items").get(0).get("id")
                .asString();
        bot.get(deliveries + "/" + delivery).ok();
        bot.get(deliveries + "/" + UUID.randomUUID()).problem(404, IntegrationProblems.DELIVERY_NOT_FOUND);
        bot.post(deliveries + "/" + delivery + "/replay", null).status(201);
        bot.post(SUBSCRIPTIONS + "/" + id + "/replay", body("from", Instant.EPOCH.toString(),
                "to", Instant.now().plusSeconds(60).toString())).status(202);

        // The same bot with a token holding webhooks:manage alone: no payloads, no replays, no new URL.
        String narrowToken = clients.rest(botUser.owner()).post("/api/v1/bots/" + botUser.id() + "/tokens",
                body("name", "narrow", "scopes", List.of("webhooks:manage"))).status(201).json().get("token")
                .asString();
        ContractClient sameBotNarrow = ContractClient.as(clients, openApi, new TestUser(botUser.id(), botUser.key(),
                narrowToken));
        sameBotNarrow.get(deliveries + "/" + delivery).problem(403, IntegrationProblems.EVENT_SCOPE_MISSING);
        sameBotNarrow.post(deliveries + "/" + delivery + "/replay", null)
                .problem(403, IntegrationProblems.EVENT_SCOPE_MISSING);
        sameBotNarrow.post(SUBSCRIPTIONS + "/" + id + "/replay", body("from", Instant.EPOCH.toString(),
                "to", Instant.now().plusSeconds(60).toString())).problem(403, IntegrationProblems.EVENT_SCOPE_MISSING);
        sameBotNarrow.patch(SUBSCRIPTIONS + "/" + id, body("url", URL + "/elsewhere"))
                .problem(403, IntegrationProblems.EVENT_SCOPE_MISSING);

        // More than one range replay may resend, written directly: the count is all that matters.
        jdbc.sql("""
                INSERT INTO integration.delivery (id, subscription_id, event_id, event_type, payload, status,
                    next_attempt_at, created_at)
                SELECT gen_random_uuid(), :subscription, gen_random_uuid(), 'message.posted', '{}', 'CANCELLED',
                    now(), now() - interval '1 day'
                FROM generate_series(1, 1001)
                """).param("subscription", UUID.fromString(id)).update();
        bot.post(SUBSCRIPTIONS + "/" + id + "/replay", body("from", Instant.EPOCH.toString(),
                "to", Instant.now().plusSeconds(60).toString()))
                .problem(422, IntegrationProblems.REPLAY_RANGE_TOO_LARGE);

        bot.patch(SUBSCRIPTIONS + "/" + id, body("enabled", false)).ok();
        bot.post(deliveries + "/" + delivery + "/replay", null).problem(409, IntegrationProblems.SUBSCRIPTION_DISABLED);
        bot.post(SUBSCRIPTIONS + "/" + id + "/replay", body("from", Instant.EPOCH.toString(),
                "to", Instant.now().toString())).problem(409, IntegrationProblems.SUBSCRIPTION_DISABLED);

        // An integration at its limit, its subscriptions written directly.
        TestBot orgUser = new TestBots(clients).bot("webhooks:manage", "org:read");
        jdbc.sql("""
                INSERT INTO integration.subscription (id, owner_id, url, event_types, secret, created_at, updated_at)
                SELECT gen_random_uuid(), :owner, 'https://example.com', '{org.employee.joined}', 'whsec_x', now(),
                    now()
                FROM generate_series(1, 20)
                """).param("owner", orgUser.id()).update();
        ContractClient org = ContractClient.as(clients, openApi, new TestUser(orgUser.id(), orgUser.key(),
                orgUser.token()));
        org.post(SUBSCRIPTIONS, body("url", URL, "eventTypes", List.of("org.employee.joined")))
                .problem(422, IntegrationProblems.TOO_MANY_SUBSCRIPTIONS);

        // Who may not, and ids that are malformed or not the caller's, for every operation.
        String missing = SUBSCRIPTIONS + "/" + UUID.randomUUID();
        Map<String, Object> change = body("description", "x");
        Map<String, Object> range = body("from", Instant.EPOCH.toString(), "to", Instant.now().toString());
        List<Call> calls = List.of(
                new Call(HttpMethod.GET, SUBSCRIPTIONS, null, false),
                new Call(HttpMethod.POST, SUBSCRIPTIONS, body("url", URL, "eventTypes", List.of("bot.mentioned")), false),
                new Call(HttpMethod.GET, "{s}", null, true),
                new Call(HttpMethod.PATCH, "{s}", change, true),
                new Call(HttpMethod.POST, "{s}/secret/rotate", null, true),
                new Call(HttpMethod.GET, "{s}/deliveries", null, true),
                new Call(HttpMethod.GET, "{s}/deliveries/" + delivery, null, true),
                new Call(HttpMethod.POST, "{s}/deliveries/" + delivery + "/replay", null, true),
                new Call(HttpMethod.POST, "{s}/replay", range, true),
                new Call(HttpMethod.DELETE, "{s}", null, true));
        for (Call call : calls) {
            anonymous.violating().call(call.method(), call.path(SUBSCRIPTIONS + "/" + id), call.body())
                    .problem(401, "UNAUTHENTICATED");
            person.call(call.method(), call.path(SUBSCRIPTIONS + "/" + id), call.body()).problem(403, "FORBIDDEN");
            if (call.scoped()) {
                bot.violating().call(call.method(), call.path(SUBSCRIPTIONS + "/not-a-uuid"), call.body())
                        .problem(400, "VALIDATION_FAILED");
                bot.call(call.method(), call.path(missing), call.body())
                        .problem(404, IntegrationProblems.SUBSCRIPTION_NOT_FOUND);
            }
        }
        bot.delete(SUBSCRIPTIONS + "/" + id).status(204);
        bot.get(SUBSCRIPTIONS + "/" + id).problem(404, IntegrationProblems.SUBSCRIPTION_NOT_FOUND);

        assertThat(openApi.unseenResponses().stream().filter(WebhookContractTest::webhookResponse))
                .as("documented webhook responses the walkthrough never saw: exercise them, or remove them from %s "
                        + "if the application cannot answer so", OpenApiContract.LOCATION).isEmpty();
    }

    private record Call(HttpMethod method, String template, Object body, boolean scoped) {

        String path(String subscription) {
            return template.replace("{s}", subscription);
        }
    }
}
