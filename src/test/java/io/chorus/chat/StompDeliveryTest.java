package io.chorus.chat;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.StompTestClient;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The delivery contract over STOMP: every device gets every message, a retried send is
 * confirmed instead of duplicated, seqs stay gapless under concurrent senders, a client that
 * was away catches up exactly, and acknowledgements reach only the session that sent.
 */
@ChorusIntegrationTest
class StompDeliveryTest {

    @Autowired
    TestClients clients;

    @Test
    void everyOpenDeviceOfAMemberReceivesEachMessageOnce() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = group(alice, "Devices", bob);

        try (StompTestClient alicePhone = clients.stomp(alice);
                StompTestClient bobLaptop = clients.stomp(bob);
                StompTestClient bobPhone = clients.stomp(bob)) {
            alicePhone.sendMessage(group, "dev-1", "Both your screens should light up");
            long messageId = alicePhone.awaitAck().get("messageId").asLong();

            for (StompTestClient device : List.of(bobLaptop, bobPhone)) {
                JsonNode posted = device.awaitEvent("message.posted");
                assertThat(posted.get("conversationId").asString()).isEqualTo(group);
                assertThat(posted.at("/message/id").asLong()).isEqualTo(messageId);
                assertThat(posted.at("/message/text").asString()).isEqualTo("Both your screens should light up");
                assertThat(device.drainEvents()).as("events after the one message").isEmpty();
            }
        }
    }

    @Test
    void aRetriedSendIsConfirmedWithTheOriginalAndPostedOnlyOnce() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = group(alice, "Retries", bob);

        try (StompTestClient bobLive = clients.stomp(bob)) {
            JsonNode first;
            JsonNode retry;
            try (StompTestClient alicePhone = clients.stomp(alice)) {
                // The client did not see the first ack in time and sends the same message again.
                alicePhone.sendMessage(group, "retry-1", "Deploy at 6?");
                alicePhone.sendMessage(group, "retry-1", "Deploy at 6?");
                first = alicePhone.awaitAck();
                retry = alicePhone.awaitAck();
            }
            assertThat(first.get("duplicate").asBoolean()).isFalse();
            assertThat(retry.get("duplicate").asBoolean()).isTrue();
            assertThat(retry.get("messageId").asLong()).isEqualTo(first.get("messageId").asLong());
            assertThat(retry.get("seq").asLong()).isEqualTo(first.get("seq").asLong()).isEqualTo(1);
            assertThat(retry.get("clientMessageId").asString()).isEqualTo("retry-1");

            // After a reconnect (a new session) the retry is still recognised.
            try (StompTestClient aliceAgain = clients.stomp(alice)) {
                aliceAgain.sendMessage(group, "retry-1", "Deploy at 6?");
                JsonNode afterReconnect = aliceAgain.awaitAck();
                assertThat(afterReconnect.get("duplicate").asBoolean()).isTrue();
                assertThat(afterReconnect.get("messageId").asLong()).isEqualTo(first.get("messageId").asLong());

                // The same id for a different text is not a retry: refused, not silently confirmed.
                aliceAgain.sendMessage(group, "retry-1", "Deploy at 7?");
                JsonNode error = aliceAgain.awaitError();
                assertThat(error.get("code").asString()).isEqualTo(ChatProblems.CLIENT_MESSAGE_ID_REUSED);
                assertThat(error.get("clientMessageId").asString()).isEqualTo("retry-1");
            }

            assertThat(bobLive.awaitEvent("message.posted").at("/message/seq").asLong()).isEqualTo(1);
            assertThat(bobLive.drainEvents()).as("further events at Bob").isEmpty();
        }
        JsonNode history = clients.rest(bob).get("/api/v1/conversations/" + group + "/messages").ok().json();
        assertThat(history.get("items")).hasSize(1);
        assertThat(history.get("lastSeq").asLong()).isEqualTo(1);
        assertThat(history.at("/items/0/text").asString()).isEqualTo("Deploy at 6?");
    }

    @Test
    void concurrentSendersGetGaplessUniqueSeqsAndEveryMemberReceivesEachMessageOnce() throws Exception {
        int senders = 20;
        int perSender = 5;
        int total = senders * perSender;
        List<TestUser> users = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            users.add(clients.user("crowd"));
        }
        String group = group(users.getFirst(), "All hands", users.subList(1, senders).toArray(TestUser[]::new));

        List<StompTestClient> sessions = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (TestUser user : users) {
                sessions.add(clients.stomp(user));
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> sending = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                StompTestClient session = sessions.get(s);
                int sender = s;
                sending.add(threads.submit(() -> {
                    start.await();
                    for (int m = 0; m < perSender; m++) {
                        session.sendMessage(group, "c" + sender + "-" + m, "message " + m + " from " + sender);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> sent : sending) {
                sent.get();
            }

            Map<Long, String> clientIdBySeq = new HashMap<>();
            for (int s = 0; s < senders; s++) {
                long previousSeq = 0;
                for (int m = 0; m < perSender; m++) {
                    JsonNode ack = sessions.get(s).awaitAck();
                    // One session's messages are handled in the order sent.
                    assertThat(ack.get("clientMessageId").asString()).isEqualTo("c" + s + "-" + m);
                    assertThat(ack.get("duplicate").asBoolean()).isFalse();
                    long seq = ack.get("seq").asLong();
                    assertThat(seq).as("seq of %s", ack).isGreaterThan(previousSeq);
                    previousSeq = seq;
                    assertThat(clientIdBySeq.put(seq, ack.get("clientMessageId").asString()))
                            .as("another ack with seq %d", seq).isNull();
                }
            }
            assertThat(clientIdBySeq.keySet()).containsExactlyInAnyOrderElementsOf(
                    LongStream.rangeClosed(1, total).boxed().toList());

            for (StompTestClient member : sessions) {
                Map<Long, String> received = new HashMap<>();
                for (int i = 0; i < total; i++) {
                    JsonNode posted = member.awaitEvent("message.posted");
                    assertThat(received.put(posted.at("/message/seq").asLong(),
                            posted.at("/message/clientMessageId").asString()))
                            .as("seq %d received twice", posted.at("/message/seq").asLong()).isNull();
                }
                assertThat(received).isEqualTo(clientIdBySeq);
            }
            // Nothing more may follow, at any member: no second copy of a message, no extra ack.
            List<Future<List<JsonNode>>> leftovers = new ArrayList<>();
            for (StompTestClient member : sessions) {
                leftovers.add(threads.submit(member::drainEvents));
                leftovers.add(threads.submit(member::drainAcks));
            }
            for (Future<List<JsonNode>> leftover : leftovers) {
                assertThat(leftover.get()).as("frames after every member had all %d messages", total).isEmpty();
            }
        } finally {
            sessions.forEach(StompTestClient::close);
        }
        assertThat(clients.rest(users.get(7)).get("/api/v1/conversations/" + group).ok().json()
                .get("lastSeq").asLong()).isEqualTo(total);
    }

    @Test
    void aReconnectingClientCatchesUpExactlyWhatItMissed() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = group(alice, "Catch-up", bob);

        try (StompTestClient aliceLive = clients.stomp(alice)) {
            List<Long> ids = new ArrayList<>();
            long lastSeen;
            try (StompTestClient bobLive = clients.stomp(bob)) {
                for (int i = 1; i <= 3; i++) {
                    aliceLive.sendMessage(group, "seen-" + i, "seen " + i);
                    ids.add(aliceLive.awaitAck().get("messageId").asLong());
                }
                lastSeen = 0;
                for (int i = 1; i <= 3; i++) {
                    lastSeen = Math.max(lastSeen, bobLive.awaitEvent("message.posted").at("/message/seq").asLong());
                }
            }
            assertThat(lastSeen).isEqualTo(3);

            // Bob is away: three new messages, an edit of message 1 and a recall of message 2.
            for (int i = 1; i <= 3; i++) {
                aliceLive.sendMessage(group, "missed-" + i, "missed " + i);
                aliceLive.awaitAck();
            }
            String messages = "/api/v1/conversations/" + group + "/messages/";
            clients.rest(alice).patch(messages + ids.get(0), body("text", "seen 1, corrected")).ok();
            clients.rest(alice).post(messages + ids.get(1) + "/recall", null).ok();

            try (StompTestClient bobBack = clients.stomp(bob)) {
                JsonNode catchUp = clients.rest(bob)
                        .get("/api/v1/conversations/" + group + "/catch-up?sinceSeq=" + lastSeen).ok().json();
                assertThat(seqs(catchUp.get("items"))).containsExactly(1L, 2L, 4L, 5L, 6L);
                assertThat(catchUp.get("hasMore").asBoolean()).isFalse();
                assertThat(catchUp.get("lastSeq").asLong()).isEqualTo(6);
                JsonNode edited = catchUp.at("/items/0");
                assertThat(edited.get("text").asString()).isEqualTo("seen 1, corrected");
                assertThat(edited.get("version").asInt()).isEqualTo(2);
                JsonNode recalled = catchUp.at("/items/1");
                assertThat(recalled.get("recalled").asBoolean()).isTrue();
                assertThat(recalled.get("text").isNull()).as("text of a recalled message: %s", recalled).isTrue();
                assertThat(texts(catchUp.get("items")).subList(2, 5)).containsExactly("missed 1", "missed 2", "missed 3");

                // The same answer page by page, without an item twice or one left out.
                List<Long> paged = new ArrayList<>();
                String after = "";
                while (true) {
                    JsonNode page = clients.rest(bob).get("/api/v1/conversations/" + group + "/catch-up?sinceSeq="
                            + lastSeen + "&limit=2" + after).ok().json();
                    paged.addAll(seqs(page.get("items")));
                    if (!page.get("hasMore").asBoolean()) {
                        break;
                    }
                    after = "&afterSeq=" + page.get("items").get(page.get("items").size() - 1).get("seq").asLong();
                }
                assertThat(paged).containsExactly(1L, 2L, 4L, 5L, 6L);

                // Subscribed before catching up: what comes next arrives live, right after the last seq.
                aliceLive.sendMessage(group, "after-return", "welcome back");
                assertThat(bobBack.awaitEvent("message.posted").at("/message/seq").asLong()).isEqualTo(7);
            }
        }
    }

    @Test
    void acknowledgementsAndErrorsGoOnlyToTheSendingSession() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        String group = group(alice, "Acks", bob);
        String notBobs = group(carol, "Elsewhere");

        try (StompTestClient aliceLive = clients.stomp(alice);
                StompTestClient bobLaptop = clients.stomp(bob);
                StompTestClient bobPhone = clients.stomp(bob)) {
            bobLaptop.sendMessage(group, "laptop-1", "sent from the laptop");
            JsonNode ack = bobLaptop.awaitAck();
            assertThat(ack.get("clientMessageId").asString()).isEqualTo("laptop-1");
            assertThat(ack.get("conversationId").asString()).isEqualTo(group);

            JsonNode onPhone = bobPhone.awaitEvent("message.posted");
            assertThat(onPhone.at("/message/clientMessageId").asString()).isEqualTo("laptop-1");
            assertThat(onPhone.at("/message/id").asLong()).isEqualTo(ack.get("messageId").asLong());
            assertThat(bobLaptop.awaitEvent("message.posted").at("/message/id").asLong())
                    .isEqualTo(ack.get("messageId").asLong());
            aliceLive.awaitEvent("message.posted");

            assertThat(bobPhone.drainAcks()).as("acks at Bob's other device").isEmpty();
            assertThat(aliceLive.drainAcks()).as("acks at another member").isEmpty();

            bobLaptop.sendMessage(notBobs, "laptop-2", "not my group");
            assertThat(bobLaptop.awaitError().get("code").asString()).isEqualTo(ChatProblems.NOT_A_MEMBER);
            assertThat(bobPhone.drainErrors()).as("errors at Bob's other device").isEmpty();
        }
    }

    private String group(TestUser owner, String name, TestUser... members) {
        return clients.rest(owner).post("/api/v1/conversations/groups",
                body("name", name, "memberIds", Arrays.stream(members).map(TestUser::id).toList()))
                .status(201).json().get("id").asString();
    }

    private static List<Long> seqs(JsonNode items) {
        return StreamSupport.stream(items.spliterator(), false).map(item -> item.get("seq").asLong()).toList();
    }

    private static List<String> texts(JsonNode items) {
        return StreamSupport.stream(items.spliterator(), false).map(item -> item.get("text").asString()).toList();
    }
}
