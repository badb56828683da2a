package io.chorus.chat;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.identity.UserAccounts;
import io.chorus.identity.UserId;
import io.chorus.platform.ProblemCodes;
import io.chorus.platform.ScheduledJobs;
import io.chorus.support.ArtemisBroker;
import io.chorus.support.ChorusNode;
import io.chorus.support.StompTestClient;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import tools.jackson.databind.JsonNode;

/**
 * Two application nodes on one database, relaying STOMP to a real ActiveMQ Artemis broker, as a
 * deployment with two pods runs (a rolling update always does). Live events, presence and
 * session closes cross nodes; a broker outage and a node's stop lose nothing a client was told
 * was stored. A job locked to one node runs on one of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeveralNodesTest {

    private static final Duration SOON = Duration.ofSeconds(15);

    private ArtemisBroker broker;
    private ChorusNode nodeA;
    private ChorusNode nodeB;

    @BeforeAll
    void start() {
        broker = ArtemisBroker.start();
        nodeA = ChorusNode.start(relay());
        nodeB = ChorusNode.besides(nodeA, relay());
    }

    private Map<String, Object> relay() {
        Map<String, Object> settings = new HashMap<>(broker.relaySettings());
        settings.put("chorus.chat.broker.relay.roster-interval", "1s");
        // Small, so that a session the broker outage ended but a node still counted would show.
        settings.put("chorus.chat.stomp.max-sessions-per-user", 2);
        return settings;
    }

    @AfterAll
    void stop() {
        for (AutoCloseable running : new AutoCloseable[] {nodeB, nodeA, broker}) {
            try {
                if (running != null) {
                    running.close();
                }
            } catch (Exception ignored) {
                // Closing the rest matters more than how one of them failed to close.
            }
        }
    }

    @Test
    @Order(1)
    void aMessageSentThroughOneNodeReachesEveryDeviceOnEitherNodeOnce() {
        TestClients a = nodeA.clients();
        TestClients b = nodeB.clients();
        TestUser alice = a.user("alice");
        TestUser bob = a.user("bob");
        String group = group(a, alice, bob);

        try (StompTestClient aliceOnA = a.stomp(alice);
                StompTestClient bobOnB = b.stomp(b.token(bob, Duration.ofHours(1)));
                StompTestClient bobAlsoOnA = a.stomp(bob)) {
            for (int i = 1; i <= 5; i++) {
                aliceOnA.sendMessage(group, "m" + i, "hello " + i);
                assertThat(aliceOnA.awaitAck().get("seq").asLong()).isEqualTo(i);
            }
            for (StompTestClient device : List.of(bobOnB, bobAlsoOnA)) {
                for (int i = 1; i <= 5; i++) {
                    JsonNode posted = device.awaitEvent("message.posted");
                    assertThat(posted.at("/message/seq").asLong()).as("in order, on every device").isEqualTo(i);
                }
            }
            assertThat(bobOnB.drainEvents()).as("no event twice").isEmpty();
            assertThat(bobAlsoOnA.drainEvents()).as("no event twice").isEmpty();

            // And the other way: a REST post handled by node B reaches the sender's peer on node A.
            b.rest(b.token(bob, Duration.ofHours(1))).post("/api/v1/conversations/" + group + "/messages",
                    body("clientMessageId", "from-b", "text", "through node B")).status(201);
            JsonNode fromB = aliceOnA.awaitEvent(event -> "message.posted".equals(event.path("type").asString())
                    && "through node B".equals(event.at("/message/text").asString()));
            assertThat(fromB.at("/message/seq").asLong()).isEqualTo(6);
        }
    }

    @Test
    @Order(2)
    void aMembershipChangeOnOneNodeSteersTheOthersFanOutAtOnce() {
        TestClients a = nodeA.clients();
        TestClients b = nodeB.clients();
        TestUser alice = a.user("alice");
        TestUser bob = a.user("bob");
        TestUser carol = a.user("carol");
        String group = group(a, alice, bob);
        String tokenOnB = b.token(alice, Duration.ofHours(1));

        try (StompTestClient aliceOnA = a.stomp(alice); StompTestClient bobOnA = a.stomp(bob);
                StompTestClient carolOnA = a.stomp(carol)) {
            aliceOnA.sendMessage(group, "first", "node A now caches the members");
            aliceOnA.awaitAck();
            bobOnA.awaitEvent("message.posted");

            // Changed through node B, whose commit node A hears of only through the bus.
            b.rest(tokenOnB).post("/api/v1/conversations/" + group + "/members", body("userIds", List.of(carol.id())))
                    .ok();
            b.rest(tokenOnB).delete("/api/v1/conversations/" + group + "/members/" + bob.id()).status(204);
            carolOnA.awaitEvent("member.added");
            bobOnA.awaitEvent("member.removed");

            aliceOnA.sendMessage(group, "second", "after the change");
            aliceOnA.awaitAck();
            assertThat(carolOnA.awaitEvent("message.posted").at("/message/text").asString()).isEqualTo("after the change");
            assertThat(bobOnA.drainEvents()).as("events at a removed member").noneMatch(
                    event -> "message.posted".equals(event.path("type").asString()));
        }
    }

    @Test
    @Order(3)
    void presenceCountsSessionsOnEveryNode() {
        TestClients a = nodeA.clients();
        TestClients b = nodeB.clients();
        TestUser alice = a.user("alice");
        TestUser bob = a.user("bob");
        a.rest(alice).post("/api/v1/conversations/direct", body("userId", bob.id())).status(201);

        try (StompTestClient aliceOnA = a.stomp(alice)) {
            StompTestClient bobOnB = b.stomp(b.token(bob, Duration.ofHours(1)));
            assertThat(aliceOnA.awaitEvent("presence").get("online").asBoolean()).isTrue();
            await().atMost(SOON).until(() -> online(a, alice, bob));

            // A second device on the other node: still one presence, no flapping when the first goes.
            StompTestClient bobOnA = a.stomp(bob);
            bobOnB.close();
            // Usually nothing; should the two nodes' news cross, an "offline" is followed by "online".
            List<JsonNode> meanwhile = aliceOnA.drainEvents();
            if (!meanwhile.isEmpty()) {
                assertThat(meanwhile.getLast().get("online").asBoolean()).as("the last word while one device remains")
                        .isTrue();
            }
            assertThat(online(b, alice, bob)).isTrue();
            assertThat(online(a, alice, bob)).isTrue();

            bobOnA.close();
            JsonNode wentOffline = aliceOnA.awaitEvent("presence");
            assertThat(wentOffline.get("online").asBoolean()).isFalse();
            await().atMost(SOON).until(() -> !online(b, alice, bob));
        }
    }

    @Test
    @Order(4)
    void deactivationClosesTheUsersSessionsOnBothNodes() {
        TestClients a = nodeA.clients();
        TestClients b = nodeB.clients();
        TestUser leaver = a.user("leaver");

        try (StompTestClient onA = a.stomp(leaver);
                StompTestClient onB = b.stomp(b.token(leaver, Duration.ofHours(1)))) {
            nodeA.bean(UserAccounts.class).deactivate(UserId.of(leaver.id()));

            for (StompTestClient session : List.of(onA, onB)) {
                assertThat(session.awaitErrorFrame().message()).isEqualTo(ProblemCodes.ACCOUNT_DEACTIVATED);
                assertThat(session.awaitClosed()).isTrue();
            }
        }
    }

    @Test
    @Order(5)
    void aBrokerOutageIsReportedAndClientsCatchUpAfterItWithoutLoss() {
        TestClients a = nodeA.clients();
        TestClients b = nodeB.clients();
        TestUser alice = a.user("alice");
        TestUser bob = a.user("bob");
        TestUser admin = a.orgAdmin();
        String group = group(a, alice, bob);
        // A direct chat too: bob's sessions ending then announce "offline" to alice, which needs the broker.
        a.rest(alice).post("/api/v1/conversations/direct", body("userId", bob.id())).status(201);
        StompTestClient bobOnB = b.stomp(b.token(bob, Duration.ofHours(1)));
        a.rest(alice).post("/api/v1/conversations/" + group + "/messages",
                body("clientMessageId", "before", "text", "before the outage")).status(201);
        assertThat(bobOnB.awaitEvent("message.posted").at("/message/seq").asLong()).isEqualTo(1);
        assertThat(broker(a, admin)).isEqualTo("UP");

        broker.stop();
        try {
            StompTestClient.ErrorFrame cut = bobOnB.awaitErrorFrame();
            assertThat(cut.message()).isEqualTo(ChatProblems.BROKER_UNAVAILABLE);
            assertThat(cut.body().get("status").asInt()).isEqualTo(503);
            assertThat(cut.body().get("retryAfterMs").asLong()).isPositive();
            assertThat(bobOnB.awaitClosed()).isTrue();
            await().atMost(SOON).until(() -> "DOWN".equals(broker(a, admin)));

            // REST still stores messages meanwhile: the outage is of live delivery only.
            for (int i = 1; i <= 3; i++) {
                a.rest(alice).post("/api/v1/conversations/" + group + "/messages",
                        body("clientMessageId", "during-" + i, "text", "during the outage " + i)).status(201);
            }
            StompTestClient.ErrorFrame refused = StompTestClient.connectExpectingRefusal(b.wsUrl(),
                    connectHeaders(b.token(bob, Duration.ofHours(1))), b.json());
            assertThat(refused.message()).isEqualTo(ChatProblems.BROKER_UNAVAILABLE);
        } finally {
            broker.startAgain();
        }

        await().atMost(SOON).until(() -> "UP".equals(broker(a, admin)) && "UP".equals(broker(b, admin(b, admin))));
        try (StompTestClient bobBack = await().atMost(SOON).ignoreExceptions()
                .until(() -> b.stomp(b.token(bob, Duration.ofHours(1))), StompTestClient::isConnected)) {
            // Catch up by seq from the last one seen (1), then live again.
            JsonNode missed = b.rest(b.token(bob, Duration.ofHours(1)))
                    .get("/api/v1/conversations/" + group + "/messages?afterSeq=1&limit=100").ok().json();
            List<Long> seqs = new ArrayList<>();
            missed.get("items").forEach(item -> seqs.add(item.get("seq").asLong()));
            assertThat(seqs).containsExactly(2L, 3L, 4L);

            a.rest(alice).post("/api/v1/conversations/" + group + "/messages",
                    body("clientMessageId", "after", "text", "after the outage")).status(201);
            assertThat(bobBack.awaitEvent("message.posted").at("/message/seq").asLong()).isEqualTo(5);
            // The ended sessions are forgotten: bob may open his second one (the cap is 2).
            b.stomp(b.token(bob, Duration.ofHours(1))).close();
        }
    }

    @Test
    @Order(6)
    void aStoppingNodeSendsItsClientsElsewhereAndNoAcknowledgedMessageIsLost() throws Exception {
        ChorusNode nodeC = ChorusNode.besides(nodeA, relay());
        TestClients a = nodeA.clients();
        TestClients c = nodeC.clients();
        TestUser alice = a.user("alice");
        TestUser bob = a.user("bob");
        String group = group(a, alice, bob);

        Set<String> acked = new HashSet<>();
        List<String> attempted = new ArrayList<>();
        try (StompTestClient aliceOnC = c.stomp(c.token(alice, Duration.ofHours(1)))) {
            for (int i = 0; i < 10; i++) {
                String id = "c-" + i;
                aliceOnC.sendMessage(group, id, "message " + i);
                attempted.add(id);
            }
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(nodeC::close);
            // Keep typing while the node goes: frames either get handled or are refused with the stop.
            for (int i = 10; i < 200 && aliceOnC.isConnected(); i++) {
                String id = "c-" + i;
                try {
                    aliceOnC.sendMessage(group, id, "message " + i);
                    attempted.add(id);
                } catch (RuntimeException closedMeanwhile) {
                    break;
                }
            }
            StompTestClient.ErrorFrame told = aliceOnC.awaitErrorFrame();
            assertThat(told.message()).isEqualTo(ChatProblems.SERVER_STOPPING);
            assertThat(told.body().get("retryAfterMs").asLong()).isZero();
            stopping.get();
            aliceOnC.drainAcks().forEach(ack -> acked.add(ack.get("clientMessageId").asString()));
        }
        assertThat(nodeC.isRunning()).isFalse();

        // The client goes to the node that stays and sends again whatever it has no receipt for.
        try (StompTestClient aliceOnA = a.stomp(alice)) {
            for (String id : attempted) {
                if (!acked.contains(id)) {
                    aliceOnA.sendMessage(group, id, "message " + id.substring(2));
                    aliceOnA.awaitAck();
                }
            }
        }
        List<String> stored = new ArrayList<>();
        new ChatSetup(a, null).history(alice, group).forEach(message -> stored.add(message.get("text").asString()));
        List<String> expected = attempted.stream().map(id -> "message " + id.substring(2)).toList();
        assertThat(stored).as("every message once, acknowledged before the stop or sent again after")
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    @Order(7)
    void aLockedJobRunsOnOneNodeWhileTheOtherSkipsIt() throws Exception {
        String job = "test.several-nodes-" + UUID.randomUUID();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runsOnA = new AtomicInteger();
        AtomicInteger runsOnB = new AtomicInteger();
        Runnable onA = nodeA.bean(ScheduledJobs.class).onOneNode(job, Duration.ofMinutes(1), Duration.ofMinutes(5), () -> {
            runsOnA.incrementAndGet();
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runnable onB = nodeB.bean(ScheduledJobs.class).onOneNode(job, Duration.ofMinutes(1), Duration.ofMinutes(5),
                runsOnB::incrementAndGet);

        CompletableFuture<Void> first = CompletableFuture.runAsync(onA);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        onB.run();
        assertThat(runsOnB).as("the other node's turn while node A holds the job").hasValue(0);
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        onB.run();
        assertThat(runsOnB).as("right after: the job is held for at least half its interval").hasValue(0);
        assertThat(runsOnA).hasValue(1);
    }

    @Test
    @Order(8)
    void theUsersOfANodeThatFallsSilentAreAnnouncedOfflineByAnother() {
        ChorusNode nodeC = ChorusNode.besides(nodeA, relay());
        try {
            TestClients a = nodeA.clients();
            TestClients c = nodeC.clients();
            TestUser alice = a.user("alice");
            TestUser bob = a.user("bob");
            a.rest(alice).post("/api/v1/conversations/direct", body("userId", bob.id())).status(201);

            try (StompTestClient aliceOnA = a.stomp(alice)) {
                StompTestClient bobOnC = c.stomp(c.token(bob, Duration.ofHours(1)));
                assertThat(aliceOnA.awaitEvent("presence").get("online").asBoolean()).isTrue();

                // Node C loses the broker for good, as a node that dies does: no goodbye reaches the others.
                nodeC.bean(StompBrokerRelayMessageHandler.class).stop();
                JsonNode gone = aliceOnA.awaitEvent(event -> "presence".equals(event.path("type").asString())
                        && !event.get("online").asBoolean());
                assertThat(gone.get("userId").asString()).isEqualTo(bob.id().toString());
                await().atMost(SOON).until(() -> !online(a, alice, bob));
                bobOnC.close();
            }
        } finally {
            nodeC.close();
        }
    }

    // ---------------------------------------------------------------- steps

    private static String group(TestClients clients, TestUser owner, TestUser... members) {
        return new ChatSetup(clients, null).group(owner, members);
    }

    private static boolean online(TestClients clients, TestUser asking, TestUser about) {
        // A token of the node asked: in local mode each node signs its own.
        return clients.rest(clients.token(asking, Duration.ofMinutes(5))).get("/api/v1/presence?userIds=" + about.id())
                .ok().json()
                .get(0).get("online").asBoolean();
    }

    private static String broker(TestClients clients, TestUser admin) {
        JsonNode broker = clients.rest(admin).get("/actuator/health").json().path("components").path("broker");
        return broker.path("status").asString();
    }

    /** The same org_admin, with a token node {@code clients} accepts. */
    private static TestUser admin(TestClients clients, TestUser admin) {
        return new TestUser(admin.id(), admin.username(), clients.token(admin.username(),
                List.of("employee", "org_admin"), Instant.now()));
    }

    private static StompHeaders connectHeaders(String token) {
        StompHeaders headers = new StompHeaders();
        headers.add("Authorization", "Bearer " + token);
        return headers;
    }
}
