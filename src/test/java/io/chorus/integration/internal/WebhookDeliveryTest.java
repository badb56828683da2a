package io.chorus.integration.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.standardwebhooks.Webhook;
import io.chorus.identity.UserAccounts;
import io.chorus.identity.UserId;
import io.chorus.integration.IntegrationProblems;
import io.chorus.support.AdjustableClock;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.TestBots;
import io.chorus.support.TestBots.TestBot;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import tools.jackson.databind.JsonNode;

/**
 * Outgoing webhooks end to end: a bot subscribes through the API, members talk, the worker
 * (called here instead of on its schedule) sends to a WireMock endpoint on loopback, and the
 * test moves the clock instead of waiting for retries.
 */
@ChorusIntegrationTest
@TestPropertySource(properties = {
        "chorus.integration.webhooks.scheduled=false",
        "chorus.integration.outbound.response-timeout=1s",
        "chorus.integration.webhooks.lease-margin=30s"})
class WebhookDeliveryTest {

    static final String SUBSCRIPTIONS = "/api/v1/integration/subscriptions";
    static WireMockServer endpoint;

    @TestBean(name = "clock", methodName = "io.chorus.support.AdjustableClock#standIn")
    Clock clock;

    @Autowired
    TestClients clients;
    @Autowired
    DeliveryWorker worker;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    SubscriptionIndex index;
    @Autowired
    UserAccounts accounts;

    TestUser alice;
    TestBot bot;

    @BeforeAll
    static void startEndpoint() {
        endpoint = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        endpoint.start();
    }

    @AfterAll
    static void stopEndpoint() {
        endpoint.stop();
    }

    @BeforeEach
    void people() {
        ((AdjustableClock) clock).reset();
        alice = clients.user("alice");
        bot = new TestBots(clients).bot("webhooks:manage", "messages:read");
    }

    @Test
    void messagesReachOnlyListedConversationsTheBotIsInSignedTheStandardWay() throws Exception {
        String listed = group(bot.id());
        String unlisted = group(bot.id());
        String withoutBot = group();
        Hook hook = subscribe(bot, List.of("message.posted"), List.of(listed, withoutBot));

        say(listed, "for the bot");
        say(unlisted, "not listed");
        say(withoutBot, "not a member");
        drain();

        List<LoggedRequest> received = hook.received();
        assertThat(received).hasSize(1);
        LoggedRequest request = received.getFirst();
        Map<String, List<String>> headers = Map.of(
                "webhook-id", List.of(request.getHeader("webhook-id")),
                "webhook-timestamp", List.of(request.getHeader("webhook-timestamp")),
                "webhook-signature", List.of(request.getHeader("webhook-signature")));
        // The receiving side's check, by the specification's own library: throws unless authentic and fresh.
        new Webhook(hook.secret()).verify(request.getBodyAsString(), headers);
        JsonNode payload = clients.json().readTree(request.getBodyAsString());
        assertThat(payload.get("type").asString()).isEqualTo("message.posted");
        assertThat(payload.get("data").get("conversationId").asString()).isEqualTo(listed);
        assertThat(payload.get("data").get("text").asString()).isEqualTo("for the bot");
        assertThat(payload.get("data").get("senderId").asString()).isEqualTo(alice.id().toString());
        assertThat(request.getHeader("webhook-id")).isNotEqualTo(payload.get("id").asString());

        clients.rest(alice).delete("/api/v1/conversations/" + listed + "/members/" + bot.id()).status(204);
        say(listed, "after the bot left");
        drain();
        assertThat(hook.received()).as("a bot removed from a conversation hears nothing more from it").hasSize(1);
    }

    @Test
    void aMentionReachesTheBotWhereItIsAMember() {
        String with = group(bot.id());
        String without = group();
        Hook hook = subscribe(bot, List.of("bot.mentioned"), List.of());

        say(with, "no mention here");
        say(with, "@" + bot.key() + " what is the status?");
        say(without, "@" + bot.key() + " are you there?");
        drain();

        assertThat(hook.received()).singleElement().satisfies(request -> {
            JsonNode payload = clients.json().readTree(request.getBodyAsString());
            assertThat(payload.get("type").asString()).isEqualTo("bot.mentioned");
            assertThat(payload.get("data").get("text").asString()).startsWith("@" + bot.key());
        });
    }

    @Test
    void aFailedDeliveryIsRetriedOnTheClockAndTheLogShowsEveryAttempt() {
        String conversation = group(bot.id());
        Hook hook = subscribe(bot, List.of("message.posted"), List.of(conversation));
        hook.answer(500);
        say(conversation, "first try fails");
        drain();
        JsonNode pending = bot.api().get(hook.log() + "?status=PENDING").ok().json().get("items");
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).get("attempts").asInt()).isEqualTo(1);
        assertThat(pending.get(0).get("lastStatusCode").asInt()).isEqualTo(500);
        assertThat(Instant.parse(pending.get(0).get("nextAttemptAt").asString())).isAfter(clock.instant());

        drain();
        assertThat(hook.received()).as("not due before its backoff").hasSize(1);

        hook.answer(200);
        advance(Duration.ofMinutes(6));
        drain();
        assertThat(hook.received()).hasSize(2);
        String id = pending.get(0).get("id").asString();
        JsonNode detail = bot.api().get(hook.log() + "/" + id).ok().json();
        assertThat(detail.get("delivery").get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(detail.get("delivery").get("attempts").asInt()).isEqualTo(2);
        assertThat(detail.get("delivery").get("deliveredAt").isNull()).isFalse();
        assertThat(detail.get("attempts").valueStream().map(a -> a.get("statusCode").asInt())).containsExactly(500, 200);
        assertThat(detail.get("payload").get("data").get("text").asString()).isEqualTo("first try fails");
        assertThat(hook.received().stream().map(r -> r.getHeader("webhook-id")).distinct())
                .as("a retry is the same message to the receiver").containsExactly(id);
    }

    @Test
    void resetsAndSlowAnswersAreRetriedLikeServerErrors() {
        String conversation = group(bot.id());
        Hook hook = subscribe(bot, List.of("message.posted"), List.of(conversation));
        endpoint.stubFor(post(urlEqualTo(hook.path())).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        say(conversation, "bumpy road");
        drain();
        endpoint.stubFor(post(urlEqualTo(hook.path())).willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
        advance(Duration.ofMinutes(6));
        drain();
        hook.answer(204);
        advance(Duration.ofMinutes(11));
        drain();

        JsonNode delivery = bot.api().get(hook.log()).ok().json().get("items").get(0);
        JsonNode attempts = bot.api().get(hook.log() + "/" + delivery.get("id").asString()).ok().json()
                .get("attempts");
        assertThat(attempts.valueStream().map(a -> a.get("statusCode").asInt())).containsExactly(0, 0, 204);
        assertThat(attempts.get(1).get("error").asString()).contains("timeout");
        assertThat(delivery.get("status").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void goneSwitchesTheSubscriptionOffAndCancelsWhatWaits() {
        String conversation = group(bot.id());
        Hook hook = subscribe(bot, List.of("message.posted"), List.of(conversation));
        hook.answer(410);
        say(conversation, "one");
        say(conversation, "two");
        drain();

        assertThat(hook.received()).hasSize(1);
        JsonNode subscription = bot.api().get(SUBSCRIPTIONS + "/" + hook.id()).ok().json();
        assertThat(subscription.get("enabled").asBoolean()).isFalse();
        assertThat(subscription.get("disabledReason").asString()).contains("410");
        assertThat(bot.api().get(hook.log()).ok().json().get("items").valueStream()
                .map(d -> d.get("status").asString())).containsExactlyInAnyOrder("FAILED", "CANCELLED");

        say(conversation, "three");
        advance(Duration.ofDays(1));
        drain();
        assertThat(hook.received()).hasSize(1);
        assertThat(bot.api().get(hook.log()).ok().json().get("items")).hasSize(2);
        bot.api().post(hook.log().replace("/deliveries", "/replay"),
                body("from", Instant.EPOCH.toString(), "to", clock.instant().plusSeconds(1).toString()))
                .problem(409, IntegrationProblems.SUBSCRIPTION_DISABLED);
    }

    @Test
    void everyChangeToASubscriptionIsInTheAuditTrailWithoutItsSecret() {
        String conversation = group(bot.id());
        Hook hook = subscribe(bot, List.of("message.posted"), List.of(conversation));
        String subscription = SUBSCRIPTIONS + "/" + hook.id();
        bot.api().patch(subscription, body("description", "renamed")).ok();
        String rotated = bot.api().post(subscription + "/secret/rotate", null).ok().json().get("secret").asString();
        bot.api().patch(subscription, body("enabled", false)).ok();
        bot.api().patch(subscription, body("enabled", true)).ok();
        say(conversation, "one");
        drain();
        String delivery = bot.api().get(hook.log()).ok().json().at("/items/0/id").asString();
        bot.api().post(hook.log() + "/" + delivery + "/replay", null).status(201);
        bot.api().post(subscription + "/replay", body("from", Instant.EPOCH.toString(),
                "to", clock.instant().plusSeconds(1).toString())).status(202);
        drain();
        hook.answer(410);
        say(conversation, "two");
        drain();
        bot.api().delete(subscription).status(204);
        TestUser officer = clients.user("officer", List.of("employee", "compliance_officer"));
        String query = "/api/v1/audit/events?limit=100&targetType=WEBHOOK_SUBSCRIPTION&targetId=" + hook.id();

        List<JsonNode> entries = new ArrayList<>();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            entries.clear();
            clients.rest(officer).get(query).ok().json().get("items").forEach(entries::add);
            return entries.size() >= 9;
        });
        assertThat(entries).extracting(entry -> entry.get("action").asString()).containsExactlyInAnyOrder(
                "webhook_subscription.created", "webhook_subscription.changed",
                "webhook_subscription.secret_rotated", "webhook_subscription.disabled",
                "webhook_subscription.enabled", "webhook_subscription.replay_requested",
                "webhook_subscription.replay_requested", "webhook_subscription.disabled",
                "webhook_subscription.deleted");
        assertThat(entries).filteredOn(entry -> entry.get("action").asString().endsWith(".disabled"))
                .extracting(entry -> entry.get("actorType").asString() + " " + entry.at("/detail/disabledReason")
                        .asString())
                .anySatisfy(gone -> assertThat(gone).startsWith("SYSTEM ").contains("410 Gone"))
                .anySatisfy(byOwner -> assertThat(byOwner).isEqualTo("USER disabled by its owner"));
        assertThat(entries).filteredOn(entry -> entry.get("actorType").asString().equals("USER"))
                .extracting(entry -> entry.get("actorId").asString()).containsOnly(bot.id().toString());
        String trail = clients.rest(officer).get(query).ok().body();
        assertThat(trail).as("a signing secret never reaches the trail").doesNotContain(hook.secret())
                .doesNotContain(rotated).doesNotContain("whsec_");
    }

    @Test
    void otherClientErrorsStopAfterAFewAttempts() {
        String conversation = group(bot.id());
        Hook hook = subscribe(bot, List.of("message.posted"), List.of(conversation));
        hook.answer(404);
        say(conversation, "nobody home");
        for (int round = 0; round < 5; round++) {
            drain();
            advance(Duration.ofHours(11));
        }
        assertThat(hook.received()).hasSize(3);
        JsonNode delivery = bot.api().get(hook.log()).ok().json().get("items").get(0);
        assertThat(delivery.get("status").asString()).isEqualTo("FAILED");
        assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
        assertThat(bot.api().get(SUBSCRIPTIONS + "/" + hook.id()).ok().json().get("enabled").asBoolean()).isTrue();
    }

    @Test
    void aDeliveryLeftByANodeThatDiedIsSentOnceItsLeaseRunsOut() {
        String conversation = group(bot.id());
        Hook hook = subscribe(bot, List.of("message.posted"), List.of(conversation));
        say(conversation, "the node dies while sending this");
        // What a node leaves behind when it stops after claiming, before recording a result.
        int claimed = jdbc.sql("UPDATE integration.delivery SET attempts = 1, lease_until = :lease"
                        + " WHERE subscription_id = :subscription AND status = 'PENDING'")
                .param("subscription", UUID.fromString(hook.id()))
                .param("lease", java.sql.Timestamp.from(clock.instant().plus(Duration.ofSeconds(34)))).update();
        assertThat(claimed).isEqualTo(1);

        drain();
        assertThat(hook.received()).as("still leased: nobody else sends it").isEmpty();

        advance(Duration.ofMinutes(1));
        drain();
        drain();
        assertThat(hook.received()).hasSize(1);
        JsonNode delivery = bot.api().get(hook.log()).ok().json().get("items").get(0);
        assertThat(delivery.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(delivery.get("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void twoWorkersRacingForTheSameDeliveriesSendEachOnce() throws Exception {
        String conversation = group(bot.id());
        List<Hook> hooks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            hooks.add(subscribe(bot, List.of("message.posted"), List.of(conversation)));
        }
        for (int i = 0; i < 5; i++) {
            say(conversation, "race " + i);
        }
        CyclicBarrier start = new CyclicBarrier(2);
        try (ExecutorService nodes = Executors.newFixedThreadPool(2)) {
            List<Future<?>> runs = new ArrayList<>();
            for (int node = 0; node < 2; node++) {
                runs.add(nodes.submit(() -> {
                    start.await();
                    for (int round = 0; round < 200 && pending(hooks) > 0; round++) {
                        worker.deliverDue();
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        }
        assertThat(pending(hooks)).isZero();
        for (Hook hook : hooks) {
            Map<String, Long> perId = hook.received().stream()
                    .collect(Collectors.groupingBy(r -> r.getHeader("webhook-id"), Collectors.counting()));
            assertThat(perId).hasSize(5);
            assertThat(perId.values()).containsOnly(1L);
        }
    }

    @Test
    void oneDeliveryOrARangeIsReplayedUnderNewIds() {
        String conversation = group(bot.id());
        Hook hook = subscribe(bot, List.of("message.posted"), List.of(conversation));
        Instant before = clock.instant().minusSeconds(1);
        say(conversation, "first");
        say(conversation, "second");
        drain();
        assertThat(hook.received()).hasSize(2);
        JsonNode page = bot.api().get(hook.log() + "?limit=1").ok().json();
        assertThat(page.get("items")).hasSize(1);
        JsonNode older = bot.api().get(hook.log() + "?limit=1&cursor=" + page.get("next").asString()).ok().json();
        assertThat(older.get("items")).hasSize(1);
        assertThat(older.get("next").isNull()).isTrue();
        String original = older.get("items").get(0).get("id").asString();

        JsonNode replay = bot.api().post(hook.log() + "/" + original + "/replay", null).status(201).json();
        assertThat(replay.get("replayOf").asString()).isEqualTo(original);
        assertThat(replay.get("id").asString()).isNotEqualTo(original);
        drain();
        List<LoggedRequest> received = hook.received();
        assertThat(received).hasSize(3);
        assertThat(received.getLast().getHeader("webhook-id")).isEqualTo(replay.get("id").asString());
        assertThat(received.getLast().getBodyAsString()).isEqualTo(received.getFirst().getBodyAsString());

        JsonNode range = bot.api().post(SUBSCRIPTIONS + "/" + hook.id() + "/replay",
                body("from", before.toString(), "to", clock.instant().plusSeconds(1).toString())).status(202).json();
        assertThat(range.get("replayed").asInt()).as("originals only, not the earlier replay").isEqualTo(2);
        drain();
        drain();
        assertThat(hook.received()).hasSize(5);
        assertThat(hook.received().stream().map(r -> r.getHeader("webhook-id")).distinct()).hasSize(5);
    }

    @Test
    void managingSubscriptionsNeedsWebhooksManageAndEventsNeedTheirReadScope() {
        TestBot reader = new TestBots(clients).bot("messages:read");
        reader.api().get(SUBSCRIPTIONS).problem(403, "FORBIDDEN");
        TestBot manager = new TestBots(clients).bot("webhooks:manage");
        manager.api().post(SUBSCRIPTIONS, body("url", url("/nope"), "eventTypes", List.of("bot.mentioned")))
                .problem(403, IntegrationProblems.EVENT_SCOPE_MISSING);
        manager.api().post(SUBSCRIPTIONS, body("url", url("/nope"), "eventTypes", List.of("approval.completed")))
                .problem(403, IntegrationProblems.EVENT_SCOPE_MISSING);
        manager.api().post(SUBSCRIPTIONS, body("url", url("/nope"), "eventTypes", List.of("no.such")))
                .problem(400, IntegrationProblems.UNKNOWN_EVENT_TYPE);
        manager.api().post(SUBSCRIPTIONS, body("url", "ftp://example.com/x", "eventTypes", List.of("member.added")))
                .problem(400, IntegrationProblems.WEBHOOK_URL_INVALID);
        clients.rest(alice).get(SUBSCRIPTIONS).status(403);

        Hook mine = subscribe(bot, List.of("member.added"), List.of());
        manager.api().get(SUBSCRIPTIONS + "/" + mine.id()).problem(404, IntegrationProblems.SUBSCRIPTION_NOT_FOUND);
        assertThat(manager.api().get(SUBSCRIPTIONS).ok().json().get("items")).isEmpty();
        assertThat(bot.api().get(SUBSCRIPTIONS).ok().json().get("items")).hasSize(1);
    }

    @Test
    void aRotatedSecretSignsBesideTheNewOneForTheOverlap() throws Exception {
        String conversation = group(bot.id());
        Hook hook = subscribe(bot, List.of("member.added"), List.of());
        String rotated = bot.api().post(SUBSCRIPTIONS + "/" + hook.id() + "/secret/rotate", null).ok().json()
                .get("secret").asString();
        assertThat(rotated).startsWith("whsec_").isNotEqualTo(hook.secret());
        TestUser bob = clients.user("bob");
        clients.rest(alice).post("/api/v1/conversations/" + conversation + "/members",
                body("userIds", List.of(bob.id()))).ok();
        // Membership events reach integrations after commit, asynchronously; the group's own creation
        // (the bot joining) may arrive too.
        Function<LoggedRequest, String> addedUser = r -> clients.json().readTree(r.getBodyAsString()).get("data")
                .get("userId").asString();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            drain();
            return hook.received().stream().anyMatch(r -> addedUser.apply(r).equals(bob.id().toString()));
        });
        LoggedRequest request = hook.received().stream()
                .filter(r -> addedUser.apply(r).equals(bob.id().toString())).findFirst().orElseThrow();
        assertThat(request.getHeader("webhook-signature").split(" ")).hasSize(2);
        Map<String, List<String>> headers = Map.of(
                "webhook-id", List.of(request.getHeader("webhook-id")),
                "webhook-timestamp", List.of(request.getHeader("webhook-timestamp")),
                "webhook-signature", List.of(request.getHeader("webhook-signature")));
        new Webhook(rotated).verify(request.getBodyAsString(), headers);
        new Webhook(hook.secret()).verify(request.getBodyAsString(), headers);
        assertThat(clients.json().readTree(request.getBodyAsString()).get("type").asString()).isEqualTo("member.added");
    }

    @Test
    void aSubscriptionAnotherNodeDeletedNeverFailsAMembersSend() {
        String conversation = group(bot.id());
        Hook hook = subscribe(bot, List.of("message.posted"), List.of(conversation));
        say(conversation, "the index now lists the subscription");
        // As another node deletes it: straight in the table, this node's index is not told.
        int deleted = jdbc.sql("DELETE FROM integration.subscription WHERE id = :id")
                .param("id", UUID.fromString(hook.id())).update();
        assertThat(deleted).isEqualTo(1);

        say(conversation, "still goes through");

        assertThat(jdbc.sql("SELECT count(*) FROM integration.delivery WHERE subscription_id = :id")
                .param("id", UUID.fromString(hook.id())).query(Long.class).single()).isZero();
        drain();
        assertThat(hook.received()).isEmpty();
    }

    @Test
    void aBusySubscriptionIsDeliveredInAFewPollsNotOnePerDelivery() {
        String conversation = group(bot.id());
        Hook hook = subscribe(bot, List.of("message.posted"), List.of(conversation));
        UUID subscription = UUID.fromString(hook.id());
        for (int i = 0; i < 50; i++) {
            Instant due = clock.instant().minusSeconds(60 - i);
            jdbc.sql("""
                    INSERT INTO integration.delivery (id, subscription_id, event_id, event_type, payload, status,
                        next_attempt_at, created_at)
                    VALUES (:id, :subscription, :event, 'message.posted', CAST(:payload AS jsonb), 'PENDING', :due, :due)
                    """)
                    .param("id", UUID.randomUUID()).param("subscription", subscription)
                    .param("event", UUID.randomUUID()).param("payload", "{\"n\": " + i + "}")
                    .param("due", java.sql.Timestamp.from(due)).update();
        }

        for (int call = 0; call < 5 && pending(List.of(hook)) > 0; call++) {
            worker.deliverDue();
        }

        assertThat(pending(List.of(hook))).isZero();
        assertThat(hook.received()).hasSize(50);
        assertThat(hook.received().stream().map(r -> clients.json().readTree(r.getBodyAsString()).get("n").asInt()))
                .as("one at a time, in the order they became due").isSorted();
    }

    @Test
    void aDeactivatedServiceAccountReceivesNothingMore() {
        TestUser service = clients.user("erp", List.of("integration"));
        String token = clients.token(service, claims -> claims
                .claim("realm_access", Map.of("roles", List.of("integration")))
                .claim("scope", "webhooks:manage org:read"));
        String path = "/hooks/" + UUID.randomUUID();
        String id = clients.rest(token).post(SUBSCRIPTIONS, body("url", url(path), "eventTypes",
                List.of("org.department.created"))).status(201).json().at("/subscription/id").asString();
        Hook hook = new Hook(id, null, path);
        hook.answer(200);
        Function<SubscriptionIndex.Snapshot, List<UUID>> listed = snapshot -> snapshot
                .of(io.chorus.integration.EventType.ORG_DEPARTMENT_CREATED).stream()
                .map(SubscriptionIndex.Target::subscriptionId).toList();
        assertThat(listed.apply(index.current())).contains(UUID.fromString(id));
        // A delivery made while the account was active, waiting for the worker.
        jdbc.sql("""
                INSERT INTO integration.delivery (id, subscription_id, event_id, event_type, payload, status,
                    next_attempt_at, created_at)
                VALUES (gen_random_uuid(), :subscription, gen_random_uuid(), 'org.department.created',
                    CAST('{}' AS jsonb), 'PENDING', :at, :at)
                """)
                .param("subscription", UUID.fromString(id)).param("at", java.sql.Timestamp.from(clock.instant()))
                .update();

        accounts.deactivate(UserId.of(service.id()));
        index.changed(); // as the index's TTL would

        assertThat(listed.apply(index.current())).doesNotContain(UUID.fromString(id));
        drain();
        assertThat(hook.received()).isEmpty();
        assertThat(jdbc.sql("SELECT status FROM integration.delivery WHERE subscription_id = :id")
                .param("id", UUID.fromString(id)).query(String.class).list()).containsExactly("CANCELLED");
    }

    @Test
    void aTokenWithoutTheEventsReadScopeCannotReadRedirectOrReplayThem() {
        String conversation = group(bot.id());
        Hook hook = subscribe(bot, List.of("message.posted"), List.of(conversation));
        say(conversation, "confidential");
        drain();
        String delivery = bot.api().get(hook.log()).ok().json().at("/items/0/id").asString();
        String narrowToken = clients.rest(bot.owner()).post("/api/v1/bots/" + bot.id() + "/tokens",
                body("name", "narrow", "scopes", List.of("webhooks:manage"))).status(201).json().get("token")
                .asString();
        RestApi narrow = clients.rest(narrowToken);
        String subscription = SUBSCRIPTIONS + "/" + hook.id();

        narrow.get(hook.log() + "/" + delivery).problem(403, IntegrationProblems.EVENT_SCOPE_MISSING);
        narrow.post(hook.log() + "/" + delivery + "/replay", null)
                .problem(403, IntegrationProblems.EVENT_SCOPE_MISSING);
        narrow.post(subscription + "/replay", body("from", Instant.EPOCH.toString(),
                "to", clock.instant().plusSeconds(1).toString())).problem(403, IntegrationProblems.EVENT_SCOPE_MISSING);
        narrow.patch(subscription, body("url", url("/elsewhere"))).problem(403, IntegrationProblems.EVENT_SCOPE_MISSING);

        assertThat(bot.api().get(subscription).ok().json().get("url").asString()).isEqualTo(url(hook.path()));
        assertThat(jdbc.sql("SELECT count(*) FROM integration.delivery WHERE replay_of IS NOT NULL"
                + " AND subscription_id = :id").param("id", UUID.fromString(hook.id())).query(Long.class).single())
                .isZero();
        // What carries no event data stays open to webhooks:manage alone.
        narrow.get(hook.log()).ok();
        narrow.patch(subscription, body("description", "renamed")).ok();
        assertThat(bot.api().get(hook.log() + "/" + delivery).ok().json().at("/payload/data/text").asString())
                .isEqualTo("confidential");
    }

    // ---------------------------------------------------------------- helpers

    /** A subscription with its own path on the endpoint, answering 200 unless told otherwise. */
    record Hook(String id, String secret, String path) {

        List<LoggedRequest> received() {
            return endpoint.findAll(postRequestedFor(urlEqualTo(path)));
        }

        void answer(int status) {
            endpoint.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(status)));
        }

        String log() {
            return SUBSCRIPTIONS + "/" + id + "/deliveries";
        }
    }

    Hook subscribe(TestBot owner, List<String> types, List<String> conversations) {
        String path = "/hooks/" + UUID.randomUUID();
        JsonNode made = owner.api().post(SUBSCRIPTIONS, body("url", url(path), "eventTypes", types,
                "conversationIds", conversations, "description", "test")).status(201).json();
        Hook hook = new Hook(made.get("subscription").get("id").asString(), made.get("secret").asString(), path);
        hook.answer(200);
        return hook;
    }

    static String url(String path) {
        return "http://127.0.0.1:" + endpoint.port() + path;
    }

    String group(UUID... members) {
        return clients.rest(alice).post("/api/v1/conversations/groups", body("name", "Hooks " + UUID.randomUUID()
                .toString().substring(0, 6), "memberIds", List.of(members))).status(201).json().get("id").asString();
    }

    void say(String conversation, String text) {
        clients.rest(alice).post("/api/v1/conversations/" + conversation + "/messages",
                body("clientMessageId", UUID.randomUUID().toString(), "text", text)).status(201);
    }

    /** Runs the worker until nothing more is due now (one delivery per subscription per run). */
    void drain() {
        for (int run = 0; run < 50 && worker.deliverDue() > 0; run++) {
            // each run sends at most one delivery per subscription
        }
    }

    void advance(Duration by) {
        ((AdjustableClock) clock).advance(by);
    }

    long pending(List<Hook> hooks) {
        return jdbc.sql("SELECT count(*) FROM integration.delivery WHERE status = 'PENDING'"
                        + " AND subscription_id = ANY(CAST(:ids AS uuid[]))")
                .param("ids", hooks.stream().map(hook -> UUID.fromString(hook.id())).toArray(UUID[]::new))
                .query(Long.class).single();
    }

}
