package io.chorus.integration.internal;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.chorus.integration.IntegrationProblems;
import io.chorus.integration.internal.IntegrationLimits.Limit;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import io.chorus.support.AdjustableClock;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.SmallIntegrationLimits;
import io.chorus.support.TestBots;
import io.chorus.support.TestBots.TestBot;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * The integrations' rate limits through the REST API, on buckets in PostgreSQL: per token, per
 * token and endpoint, per bot and conversation; 429 with Retry-After and the spent limit named;
 * a budget shared by every node and never overspent by concurrent requests.
 */
@ChorusIntegrationTest
@SmallIntegrationLimits
class IntegrationRateLimitTest {

    @TestBean(name = "clock", methodName = "io.chorus.support.AdjustableClock#standIn")
    Clock clock;

    @Autowired
    TestClients clients;
    @Autowired
    IntegrationLimits limits;
    @Autowired
    RateLimitCleanup cleanup;
    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcClient jdbc;

    /** Plays a bot's slash command endpoint. */
    private static final WireMockServer botEndpoint = new WireMockServer(
            WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));

    @BeforeAll
    static void startBotEndpoint() {
        botEndpoint.start();
    }

    @AfterAll
    static void stopBotEndpoint() {
        botEndpoint.stop();
    }

    @AfterEach
    void resetClock() {
        ((AdjustableClock) clock).reset();
    }

    @Test
    void aTokenOverItsLimitIsRefusedUntilItsBucketRefillsAndAnotherTokenOfTheBotIsNot() {
        TestBot bot = new TestBots(clients).bot("messages:read");
        RestApi second = clients.rest(secondToken(bot, "messages:read"));

        for (int i = 0; i < SmallIntegrationLimits.TOKEN; i++) {
            bot.api().get("/api/v1/conversations").ok();
        }
        RestApi.Response refused = bot.api().get("/api/v1/conversations").problem(429, ProblemCodes.RATE_LIMITED);
        assertThat(refused.json().get("limit").asString()).isEqualTo("token");
        // One request comes back every 6 minutes: the next one is at most that far away.
        assertThat(Long.parseLong(refused.headers().getFirst("Retry-After"))).isBetween(1L, 360L);

        second.get("/api/v1/conversations").ok();

        ((AdjustableClock) clock).advance(SmallIntegrationLimits.TOKEN_REFILL);
        bot.api().get("/api/v1/conversations").ok();
        bot.api().get("/api/v1/conversations").problem(429, ProblemCodes.RATE_LIMITED);
    }

    @Test
    void anIntegrationAccountSigningInWithAJwtHasABudgetButAPersonHasNone() {
        TestUser service = clients.user("erp", List.of("integration"));
        RestApi erp = clients.rest(service);
        // Making the test user asked for /api/v1/me once.
        for (int i = 1; i < SmallIntegrationLimits.TOKEN; i++) {
            erp.get("/api/v1/approvals/templates").ok();
        }
        erp.get("/api/v1/approvals/templates").problem(429, ProblemCodes.RATE_LIMITED);

        RestApi person = clients.rest(clients.user("person"));
        for (int i = 0; i <= SmallIntegrationLimits.TOKEN; i++) {
            person.get("/api/v1/approvals/templates").ok();
        }
    }

    @Test
    void anEndpointHasItsOwnLimitAndARefusedRequestCostsTheTokenNothing() {
        TestBot bot = new TestBots(clients).bot("org:read", "messages:read");

        for (int i = 0; i < SmallIntegrationLimits.ORG_USERS; i++) {
            bot.api().get("/api/v1/org/users?q=bot").ok();
        }
        RestApi.Response refused = bot.api().get("/api/v1/org/users?q=bot").problem(429, ProblemCodes.RATE_LIMITED);
        assertThat(refused.json().get("limit").asString()).isEqualTo("endpoint");
        // Two an hour: the next one in half an hour.
        assertThat(Long.parseLong(refused.headers().getFirst("Retry-After"))).isBetween(1790L, 1800L);

        bot.api().get("/api/v1/org/departments").ok();

        // 2 + 1 requests spent the token's budget; the refused one gave its share back.
        int spent = SmallIntegrationLimits.ORG_USERS + 1;
        for (int i = spent; i < SmallIntegrationLimits.TOKEN; i++) {
            bot.api().get("/api/v1/conversations").ok();
        }
        bot.api().get("/api/v1/conversations").problem(429, ProblemCodes.RATE_LIMITED);
    }

    @Test
    void aBotPostsIntoEachConversationWithinItsOwnBudgetAndARefusedPostIsNotStored() {
        TestBot bot = new TestBots(clients).bot("messages:write", "messages:read");
        RestApi owner = clients.rest(bot.owner());
        String first = group(owner, bot);
        String second = group(owner, bot);

        for (int i = 0; i < SmallIntegrationLimits.CONVERSATION; i++) {
            post(bot, first, "first-" + i).status(201);
        }
        RestApi.Response refused = post(bot, first, "first-over").problem(429, ProblemCodes.RATE_LIMITED);
        assertThat(refused.json().get("limit").asString()).isEqualTo("conversation");
        // another spelling of the same id is the same conversation, and the same budget
        assertThat(post(bot, first.toUpperCase(java.util.Locale.ROOT), "first-shouting")
                .problem(429, ProblemCodes.RATE_LIMITED).json().get("limit").asString()).isEqualTo("conversation");
        assertThat(Long.parseLong(refused.headers().getFirst("Retry-After"))).isBetween(1L, 600L);
        assertThat(owner.get("/api/v1/conversations/" + first + "/messages").ok().json().get("items"))
                .hasSize(SmallIntegrationLimits.CONVERSATION);

        for (int i = 0; i < SmallIntegrationLimits.CONVERSATION; i++) {
            post(bot, second, "second-" + i).status(201);
        }

        ((AdjustableClock) clock).advance(SmallIntegrationLimits.CONVERSATION_REFILL);
        post(bot, first, "first-later").status(201);
        post(bot, first, "first-later-over").problem(429, ProblemCodes.RATE_LIMITED);
    }

    @Test
    void anIncomingWebhookOverItsBudgetIsRefusedWithRetryAfterAndPostsNothing() {
        TestUser ownerUser = clients.user("hook-owner");
        RestApi owner = clients.rest(ownerUser);
        String group = owner.post("/api/v1/conversations/groups", body("name", "Builds", "memberIds",
                List.of(clients.user("hook-member").id())))
                .status(201).json().get("id").asString();
        String path = URI.create(owner.post("/api/v1/conversations/" + group + "/incoming-webhooks",
                body("name", "CI")).status(201).json().get("url").asString()).getPath();
        RestApi sender = clients.anonymous();

        for (int i = 0; i < SmallIntegrationLimits.INCOMING_WEBHOOK; i++) {
            sender.exchange(HttpMethod.POST, path, "{\"text\": \"build " + i + "\"}", Map.of()).status(201);
        }
        RestApi.Response refused = sender.exchange(HttpMethod.POST, path, "{\"text\": \"build over\"}", Map.of())
                .problem(429, ProblemCodes.RATE_LIMITED);
        assertThat(refused.json().get("limit").asString()).isEqualTo("incoming_webhook");
        assertThat(Long.parseLong(refused.headers().getFirst("Retry-After"))).isBetween(1L, 600L);
        assertThat(owner.get("/api/v1/conversations/" + group + "/messages").ok().json().get("items"))
                .hasSize(SmallIntegrationLimits.INCOMING_WEBHOOK);
        // Only an authenticated delivery spends (or is refused by) the hook's budget.
        sender.exchange(HttpMethod.POST, path + "x", "{\"text\": \"guess\"}", Map.of())
                .problem(404, IntegrationProblems.WEBHOOK_NOT_FOUND);

        ((AdjustableClock) clock).advance(SmallIntegrationLimits.INCOMING_WEBHOOK_REFILL);
        sender.exchange(HttpMethod.POST, path, "{\"text\": \"build later\"}", Map.of()).status(201);
        sender.exchange(HttpMethod.POST, path, "{\"text\": \"build later over\"}", Map.of())
                .problem(429, ProblemCodes.RATE_LIMITED);
        assertThat(owner.get("/api/v1/conversations/" + group + "/messages").ok().json().get("items"))
                .hasSize(SmallIntegrationLimits.INCOMING_WEBHOOK + 1);
    }

    @Test
    void aMemberClickingABotsCardsTooOftenIsRefusedBeforeTheBotIsCalled() {
        TestBot crm = new TestBots(clients).bot("webhooks:manage", "messages:write");
        String path = "/" + crm.key() + "/actions";
        botEndpoint.stubFor(WireMock.post(WireMock.urlEqualTo(path)).willReturn(WireMock.okJson("{}")));
        crm.api().exchange(HttpMethod.PUT, "/api/v1/integration/interactivity",
                body("url", botEndpoint.baseUrl() + path)).status(201);
        TestUser alice = clients.user("alice");
        String conversation = clients.rest(alice).post("/api/v1/conversations/groups",
                body("name", "Deals", "memberIds", List.of(crm.id()))).status(201).json().get("id").asString();
        long card = crm.api().post("/api/v1/conversations/" + conversation + "/cards", body("clientMessageId", "deal",
                "card", body("title", "Deal", "actions", List.of(body("id", "won", "label", "Won")))))
                .status(201).json().get("id").asLong();
        String route = "/app/conversations/" + conversation + "/messages/" + card + "/actions/won";

        try (io.chorus.support.StompTestClient live = clients.stomp(alice)) {
            for (int i = 1; i <= SmallIntegrationLimits.COMMAND; i++) {
                live.send(route, Map.of());
                int expected = i;
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                        botEndpoint.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(path))).size() == expected);
            }
            live.send(route, Map.of());
            assertThat(live.awaitError().get("code").asString()).isEqualTo(ProblemCodes.RATE_LIMITED);
        }
        assertThat(botEndpoint.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(path))))
                .as("the refused click never reached the bot").hasSize(SmallIntegrationLimits.COMMAND);
    }

    @Test
    void aMemberOverTheirCommandBudgetIsRefusedBeforeTheBotIsCalledAndTheBotsLaterAnswersSpendItsPostBudget() {
        TestBot crm = new TestBots(clients).bot("webhooks:manage");
        String path = "/" + crm.key() + "/report";
        botEndpoint.stubFor(WireMock.post(WireMock.urlEqualTo(path)).willReturn(WireMock.aResponse().withStatus(200)));
        crm.api().exchange(HttpMethod.PUT, "/api/v1/integration/commands/report",
                body("url", botEndpoint.baseUrl() + path)).status(201);
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        RestApi members = clients.rest(alice);
        String conversation = members.post("/api/v1/conversations/groups",
                body("name", "Sales", "memberIds", List.of(bob.id(), crm.id()))).status(201).json().get("id").asString();
        String commands = "/api/v1/conversations/" + conversation + "/commands";

        for (int i = 0; i < SmallIntegrationLimits.COMMAND; i++) {
            members.post(commands, body("text", "/report " + i)).ok();
        }
        RestApi.Response refused = members.post(commands, body("text", "/report over"))
                .problem(429, ProblemCodes.RATE_LIMITED);
        assertThat(refused.json().get("limit").asString()).isEqualTo("command");
        assertThat(Long.parseLong(refused.headers().getFirst("Retry-After"))).isBetween(1L, 600L);
        assertThat(botEndpoint.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(path))))
                .as("the refused command never reached the bot").hasSize(SmallIntegrationLimits.COMMAND);
        // Per member and bot: Bob's budget is his own.
        clients.rest(bob).post(commands, body("text", "/report bob")).ok();

        // The bot's later answers are its posts into the conversation: 3 at once, then one every 10 minutes.
        String responseUrl = clients.json().readTree(botEndpoint.findAll(WireMock.postRequestedFor(
                WireMock.urlEqualTo(path))).getFirst().getBodyAsString()).get("responseUrl").asString();
        String responsePath = responseUrl.substring(responseUrl.indexOf("/api/v1/command-responses/"));
        RestApi bot = clients.anonymous();
        for (int i = 0; i < SmallIntegrationLimits.CONVERSATION; i++) {
            bot.post(responsePath, body("responseType", "in_channel", "text", "answer " + i)).ok();
        }
        RestApi.Response tooMany = bot.post(responsePath, body("responseType", "in_channel", "text", "answer over"))
                .problem(429, ProblemCodes.RATE_LIMITED);
        assertThat(tooMany.json().get("limit").asString()).isEqualTo("conversation");
        // A refused answer kept its use of the URL (5 uses): the fourth and fifth answers still pass.
        ((AdjustableClock) clock).advance(SmallIntegrationLimits.CONVERSATION_REFILL);
        bot.post(responsePath, body("responseType", "in_channel", "text", "answer 3")).ok();
        ((AdjustableClock) clock).advance(SmallIntegrationLimits.CONVERSATION_REFILL);
        bot.post(responsePath, body("responseType", "in_channel", "text", "answer 4")).ok();
        ((AdjustableClock) clock).advance(SmallIntegrationLimits.CONVERSATION_REFILL);
        bot.post(responsePath, body("responseType", "in_channel", "text", "answer 5"))
                .problem(404, IntegrationProblems.RESPONSE_URL_NOT_FOUND);
        assertThat(members.get("/api/v1/conversations/" + conversation + "/messages").ok().json().get("items"))
                .extracting(message -> message.get("text").asString())
                .containsExactlyInAnyOrder("answer 0", "answer 1", "answer 2", "answer 3", "answer 4");
    }

    @Test
    void concurrentRequestsNeverSpendMoreThanTheBudget() throws Exception {
        TestBot bot = new TestBots(clients).bot("messages:read");
        int threads = 8;
        int each = 3;
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<List<Integer>>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                results.add(CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(start);
                    List<Integer> statuses = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        statuses.add(bot.api().get("/api/v1/conversations").status());
                    }
                    return statuses;
                }, pool));
            }
            start.countDown();
            List<Integer> statuses = results.stream().flatMap(result -> result.join().stream()).toList();
            assertThat(statuses).containsOnly(200, 429);
            assertThat(statuses).filteredOn(status -> status == 200).hasSize(SmallIntegrationLimits.TOKEN);
        }
    }

    @Test
    void everyNodeSpendsFromTheSameBucket() {
        IntegrationLimits one = new IntegrationLimits(RateLimitConfiguration.buckets(dataSource, clock));
        IntegrationLimits other = new IntegrationLimits(RateLimitConfiguration.buckets(dataSource, clock));
        String key = "test:" + UUID.randomUUID();
        Limit limit = Limit.valueOf("5/1h");

        for (int i = 0; i < 3; i++) {
            one.charge(key, limit);
        }
        other.charge(key, limit);
        one.charge(key, limit);
        assertThatThrownBy(() -> other.charge(key, limit)).isInstanceOfSatisfying(ChorusProblem.class, refused -> {
            assertThat(refused.code()).isEqualTo(ProblemCodes.RATE_LIMITED);
            assertThat(refused.retryAfterSeconds()).hasValueSatisfying(seconds -> assertThat(seconds).isBetween(1L,
                    720L));
        });
        assertThatThrownBy(() -> one.charge(key, limit)).isInstanceOf(ChorusProblem.class);
    }

    @Test
    void bucketsThatWouldBeFullAgainAreRemovedAndOthersKept() {
        String idle = "test:" + UUID.randomUUID();
        String busy = "test:" + UUID.randomUUID();
        limits.charge(idle, Limit.valueOf("5/1h"));
        limits.charge(busy, Limit.valueOf("5/1h"));
        // The idle bucket would have been full an hour and more ago.
        jdbc.sql("UPDATE integration.rate_limit_bucket SET expires_at = 0 WHERE id LIKE :key")
                .param("key", idle + "|%").update();

        assertThat(cleanup.removeExpired()).isPositive();

        assertThat(rows(idle)).isZero();
        assertThat(rows(busy)).isOne();
    }

    private int rows(String key) {
        return jdbc.sql("SELECT count(*) FROM integration.rate_limit_bucket WHERE id LIKE :key")
                .param("key", key + "|%").query(Integer.class).single();
    }

    private String secondToken(TestBot bot, String... scopes) {
        return clients.rest(bot.owner()).post("/api/v1/bots/" + bot.id() + "/tokens",
                body("name", "second", "scopes", List.of(scopes))).status(201).json().get("token").asString();
    }

    private static String group(RestApi owner, TestBot bot) {
        return owner.post("/api/v1/conversations/groups", body("name", "Limits", "memberIds", List.of(bot.id())))
                .status(201).json().get("id").asString();
    }

    private static RestApi.Response post(TestBot bot, String conversation, String clientMessageId) {
        return bot.api().post("/api/v1/conversations/" + conversation + "/messages",
                body("clientMessageId", clientMessageId, "text", "from " + bot.key()));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
