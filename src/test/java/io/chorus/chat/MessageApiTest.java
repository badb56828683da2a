package io.chorus.chat;

import static io.chorus.chat.ChatSetup.absent;
import static io.chorus.chat.ChatSetup.ids;
import static io.chorus.chat.ChatSetup.messages;
import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@ChorusIntegrationTest
class MessageApiTest {

    @Autowired
    TestClients clients;

    @Autowired
    JdbcClient jdbc;

    ChatSetup chat;

    @BeforeEach
    void setUp() {
        chat = new ChatSetup(clients, jdbc);
    }

    // --- sending ----------------------------------------------------------------------------------

    @Test
    void sentMessageIsAcknowledgedWithItsSeqAndStored() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);

        JsonNode sent = clients.rest(alice)
                .post(messages(group), body("clientMessageId", "a-1", "text", "  早上好  ")).status(201).json();

        assertThat(sent.get("seq").asLong()).isEqualTo(1);
        assertThat(sent.get("senderId").asString()).isEqualTo(alice.id().toString());
        assertThat(sent.get("clientMessageId").asString()).isEqualTo("a-1");
        assertThat(sent.get("text").asString()).isEqualTo("早上好");
        assertThat(sent.get("version").asInt()).isEqualTo(1);
        assertThat(sent.get("recalled").asBoolean()).isFalse();
        JsonNode atBob = chat.message(bob, group, 1);
        assertThat(atBob.get("id").asLong()).isEqualTo(sent.get("id").asLong());
        assertThat(atBob.get("text").asString()).isEqualTo("早上好");
    }

    @Test
    void retriedSendReturnsTheOriginalInsteadOfADuplicate() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        JsonNode first = clients.rest(alice).post(messages(group), body("clientMessageId", "a-1", "text", "hello"))
                .status(201).json();

        JsonNode retry = clients.rest(alice).post(messages(group), body("clientMessageId", "a-1", "text", "hello"))
                .status(200).json();

        assertThat(retry.get("id").asLong()).isEqualTo(first.get("id").asLong());
        assertThat(retry.get("seq").asLong()).isEqualTo(1);
        assertThat(chat.history(bob, group)).hasSize(1);
        assertThat(chat.storedMessages(group)).isEqualTo(1);
        assertThat(chat.send(alice, group, "next").get("seq").asLong()).as("the retry used up no seq").isEqualTo(2);
    }

    @Test
    void concurrentRetriesOfOneSendStoreOneMessage() throws Exception {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        int attempts = 8;
        CyclicBarrier start = new CyclicBarrier(attempts);
        ExecutorService threads = Executors.newFixedThreadPool(attempts);
        List<RestApi.Response> responses = new ArrayList<>();
        try {
            List<Future<RestApi.Response>> futures = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                futures.add(threads.submit(() -> {
                    RestApi api = clients.rest(alice);
                    start.await();
                    return api.post(messages(group), body("clientMessageId", "flaky-network", "text", "once"));
                }));
            }
            for (Future<RestApi.Response> future : futures) {
                responses.add(future.get());
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(responses).extracting(RestApi.Response::status).containsOnly(200, 201)
                .filteredOn(status -> status == 201).hasSize(1);
        assertThat(responses.stream().map(response -> response.json().get("id").asLong()).distinct()).hasSize(1);
        assertThat(chat.storedMessages(group)).isEqualTo(1);
        assertThat(chat.send(alice, group, "next").get("seq").asLong()).isEqualTo(2);
    }

    @Test
    void clientMessageIdReusedForADifferentMessageIsRefused() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        String other = chat.group(alice, bob);
        clients.rest(alice).post(messages(group), body("clientMessageId", "a-1", "text", "original")).status(201);

        clients.rest(alice).post(messages(group), body("clientMessageId", "a-1", "text", "something else"))
                .problem(409, "CLIENT_MESSAGE_ID_REUSED");
        clients.rest(alice).post(messages(other), body("clientMessageId", "a-1", "text", "original"))
                .problem(409, "CLIENT_MESSAGE_ID_REUSED");

        assertThat(chat.history(bob, group)).extracting(message -> message.get("text").asString())
                .containsExactly("original");
        assertThat(chat.storedMessages(other)).isZero();
        assertThat(chat.storedLastSeq(other)).isZero();
    }

    @Test
    void sameClientMessageIdFromTwoSendersIsTwoMessages() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);

        clients.rest(alice).post(messages(group), body("clientMessageId", "m-1", "text", "from alice")).status(201);
        clients.rest(bob).post(messages(group), body("clientMessageId", "m-1", "text", "from bob")).status(201);

        assertThat(chat.history(alice, group)).extracting(message -> message.get("text").asString())
                .containsExactly("from alice", "from bob");
    }

    @Test
    void concurrentSendersGetGaplessUniqueSeqs() throws Exception {
        int senders = 20;
        int messagesEach = 5;
        TestUser owner = clients.user("owner");
        List<TestUser> people = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            people.add(clients.user("sender"));
        }
        String group = chat.group(owner, people.toArray(TestUser[]::new));
        CyclicBarrier start = new CyclicBarrier(senders);
        ExecutorService threads = Executors.newFixedThreadPool(senders);
        Map<String, Long> acknowledged = new HashMap<>();
        try {
            List<Future<Map<String, Long>>> futures = new ArrayList<>();
            for (TestUser sender : people) {
                futures.add(threads.submit(() -> {
                    RestApi api = clients.rest(sender);
                    Map<String, Long> seqs = new HashMap<>();
                    start.await();
                    for (int n = 0; n < messagesEach; n++) {
                        String clientMessageId = sender.username() + "-" + n;
                        JsonNode sent = api.post(messages(group),
                                body("clientMessageId", clientMessageId, "text", "message " + n)).status(201).json();
                        seqs.put(sender.id() + "/" + clientMessageId, sent.get("seq").asLong());
                    }
                    return seqs;
                }));
            }
            for (Future<Map<String, Long>> future : futures) {
                acknowledged.putAll(future.get());
            }
        } finally {
            threads.shutdownNow();
        }

        int total = senders * messagesEach;
        List<JsonNode> history = chat.history(owner, group);
        assertThat(history).extracting(message -> message.get("seq").asLong())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        Map<String, Long> stored = new HashMap<>();
        history.forEach(message -> stored.put(message.get("senderId").asString() + "/"
                + message.get("clientMessageId").asString(), message.get("seq").asLong()));
        assertThat(stored).as("every acknowledged message is stored once, under the seq it was acknowledged with")
                .isEqualTo(acknowledged);
        for (TestUser sender : people) {
            // Each sender sent one after another, so their own messages keep their order.
            assertThat(history.stream().filter(message -> message.get("senderId").asString()
                    .equals(sender.id().toString())).map(message -> message.get("text").asString()).toList())
                    .containsExactly("message 0", "message 1", "message 2", "message 3", "message 4");
        }
        assertThat(chat.conversation(owner, group).get("lastSeq").asLong()).isEqualTo(total);
    }

    // --- history and catch-up -------------------------------------------------------------------------

    @Test
    void historyPagesBackwardAndForwardAndSaysWhetherMoreRemain() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        for (int i = 1; i <= 7; i++) {
            chat.send(i % 2 == 0 ? bob : alice, group, "m" + i);
        }
        RestApi api = clients.rest(bob);

        assertPage(api.get(messages(group) + "?limit=3").ok().json(), List.of(5L, 6L, 7L), true);
        assertPage(api.get(messages(group) + "?beforeSeq=5&limit=3").ok().json(), List.of(2L, 3L, 4L), true);
        assertPage(api.get(messages(group) + "?beforeSeq=2&limit=3").ok().json(), List.of(1L), false);
        assertPage(api.get(messages(group) + "?beforeSeq=4&limit=3").ok().json(), List.of(1L, 2L, 3L), false);
        assertPage(api.get(messages(group) + "?afterSeq=0&limit=3").ok().json(), List.of(1L, 2L, 3L), true);
        assertPage(api.get(messages(group) + "?afterSeq=3&limit=3").ok().json(), List.of(4L, 5L, 6L), true);
        assertPage(api.get(messages(group) + "?afterSeq=4&limit=3").ok().json(), List.of(5L, 6L, 7L), false);
        assertPage(api.get(messages(group) + "?afterSeq=7&limit=3").ok().json(), List.of(), false);
        JsonNode newest = api.get(messages(group)).ok().json();
        assertPage(newest, List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), false);
        assertThat(newest.get("lastSeq").asLong()).isEqualTo(7);
        assertThat(newest.get("items").valueStream().map(message -> message.get("text").asString()))
                .containsExactly("m1", "m2", "m3", "m4", "m5", "m6", "m7");
    }

    @Test
    void catchUpReturnsNewerMessagesAndOlderOnesChangedSince() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        long m1 = chat.send(alice, group, "m1").get("id").asLong();
        long m2 = chat.send(alice, group, "m2").get("id").asLong();
        clients.rest(alice).patch(messages(group) + "/" + m1, body("text", "m1 fixed early")).ok();
        long m3 = chat.send(alice, group, "m3").get("id").asLong();
        long m4 = chat.send(alice, group, "m4").get("id").asLong();
        chat.send(alice, group, "m5");
        // Bob's client saw everything up to seq 4, including the early fix of m1. Then:
        clients.rest(alice).patch(messages(group) + "/" + m2, body("text", "m2 edited")).ok();
        clients.rest(bob).put(messages(group) + "/" + m3 + "/reactions/👍").ok();
        clients.rest(alice).post(messages(group) + "/" + m4 + "/recall", null).ok();
        chat.send(alice, group, "m6");
        chat.send(bob, group, "m7");

        JsonNode all = clients.rest(bob).get("/api/v1/conversations/" + group + "/catch-up?sinceSeq=4").ok().json();

        assertPage(all, List.of(2L, 3L, 4L, 5L, 6L, 7L), false);
        List<JsonNode> items = all.get("items").valueStream().toList();
        assertThat(items.get(0).get("text").asString()).isEqualTo("m2 edited");
        assertThat(items.get(1).get("reactions").get(0).get("emoji").asString()).isEqualTo("👍");
        assertThat(items.get(2).get("recalled").asBoolean()).isTrue();
        assertThat(absent(items.get(2), "text")).isTrue();
        assertThat(items.get(5).get("text").asString()).isEqualTo("m7");
        assertThat(all.get("lastSeq").asLong()).isEqualTo(7);

        String catchUp = "/api/v1/conversations/" + group + "/catch-up?sinceSeq=4&limit=2";
        assertPage(clients.rest(bob).get(catchUp).ok().json(), List.of(2L, 3L), true);
        assertPage(clients.rest(bob).get(catchUp + "&afterSeq=3").ok().json(), List.of(4L, 5L), true);
        assertPage(clients.rest(bob).get(catchUp + "&afterSeq=5").ok().json(), List.of(6L, 7L), false);

        assertPage(clients.rest(bob).get("/api/v1/conversations/" + group + "/catch-up?sinceSeq=7").ok().json(),
                List.of(), false);
        assertPage(clients.rest(bob).get("/api/v1/conversations/" + group + "/catch-up?sinceSeq=0").ok().json(),
                List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), false);
        clients.rest(bob).get("/api/v1/conversations/" + group + "/catch-up?sinceSeq=8")
                .problem(422, "SEQ_OUT_OF_RANGE");
    }

    private static void assertPage(JsonNode page, List<Long> seqs, boolean hasMore) {
        assertThat(page.get("items").valueStream().map(message -> message.get("seq").asLong()).toList())
                .as("seqs of page %s", page).containsExactlyElementsOf(seqs);
        assertThat(page.get("hasMore").asBoolean()).as("hasMore of page with seqs %s", seqs).isEqualTo(hasMore);
    }

    // --- editing and recalling ----------------------------------------------------------------------

    @Test
    void authorEditsTheirMessageAndEveryoneSeesTheNewVersion() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        JsonNode sent = chat.send(alice, group, "see you at 3");
        long id = sent.get("id").asLong();

        JsonNode edited = clients.rest(alice).patch(messages(group) + "/" + id, body("text", "see you at 4")).ok()
                .json();

        assertThat(edited.get("text").asString()).isEqualTo("see you at 4");
        assertThat(edited.get("version").asInt()).isEqualTo(2);
        assertThat(absent(edited, "editedAt")).isFalse();
        assertThat(edited.get("seq").asLong()).as("an edit keeps the message's place").isEqualTo(1);
        JsonNode atBob = chat.message(bob, group, 1);
        assertThat(atBob.get("text").asString()).isEqualTo("see you at 4");
        assertThat(atBob.get("version").asInt()).isEqualTo(2);
        assertThat(chat.storedLastSeq(group)).isEqualTo(1);
    }

    @Test
    void onlyTheAuthorEditsAMessage() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        long id = chat.send(bob, group, "bob's words").get("id").asLong();

        clients.rest(alice).patch(messages(group) + "/" + id, body("text", "alice's words"))
                .problem(403, "NOT_THE_AUTHOR");

        JsonNode unchanged = chat.message(bob, group, 1);
        assertThat(unchanged.get("text").asString()).isEqualTo("bob's words");
        assertThat(unchanged.get("version").asInt()).isEqualTo(1);
        assertThat(absent(unchanged, "editedAt")).isTrue();
    }

    @Test
    void authorRecallsWithinTheWindowAndEveryoneSeesOnlyTheMarker() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        long id = chat.send(bob, group, "oops, wrong group").get("id").asLong();

        JsonNode recalled = clients.rest(bob).post(messages(group) + "/" + id + "/recall", null).ok().json();

        assertThat(recalled.get("recalled").asBoolean()).isTrue();
        assertThat(absent(recalled, "text")).isTrue();
        assertThat(absent(recalled, "recalledAt")).isFalse();
        assertThat(recalled.get("version").asInt()).isEqualTo(2);
        for (TestUser member : List.of(alice, bob)) {
            JsonNode seen = chat.message(member, group, 1);
            assertThat(seen.get("recalled").asBoolean()).isTrue();
            assertThat(absent(seen, "text")).as("text of a recalled message").isTrue();
        }
        clients.rest(bob).post(messages(group) + "/" + id + "/recall", null).problem(409, "MESSAGE_RECALLED");
        clients.rest(bob).patch(messages(group) + "/" + id, body("text", "fixed")).problem(409, "MESSAGE_RECALLED");
        assertThat(absent(chat.message(alice, group, 1), "text")).isTrue();
    }

    @Test
    void authorCannotRecallAfterTheWindow() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String direct = clients.rest(alice).post("/api/v1/conversations/direct", body("userId", bob.id()))
                .status(201).json().get("id").asString();
        long id = chat.send(alice, direct, "too late to take back").get("id").asLong();
        chat.age(id, 3);

        clients.rest(alice).post(messages(direct) + "/" + id + "/recall", null).problem(409, "RECALL_WINDOW_PASSED");

        JsonNode unchanged = chat.message(bob, direct, 1);
        assertThat(unchanged.get("recalled").asBoolean()).isFalse();
        assertThat(unchanged.get("text").asString()).isEqualTo("too late to take back");
    }

    @Test
    void groupOwnerAndAdminsRecallAnyonesMessageAtAnyTime() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        TestUser dave = clients.user("dave");
        String group = chat.group(alice, bob, carol, dave);
        chat.promote(alice, group, carol);
        long bobs = chat.send(bob, group, "spam").get("id").asLong();
        long daves = chat.send(dave, group, "more spam").get("id").asLong();
        long alices = chat.send(alice, group, "owner's note").get("id").asLong();
        chat.age(bobs, 60);
        chat.age(daves, 60 * 24);
        chat.age(alices, 60);

        clients.rest(dave).post(messages(group) + "/" + bobs + "/recall", null).problem(403, "NOT_THE_AUTHOR");
        clients.rest(carol).post(messages(group) + "/" + alices + "/recall", null).ok();
        assertThat(clients.rest(alice).post(messages(group) + "/" + bobs + "/recall", null).ok().json()
                .get("recalled").asBoolean()).isTrue();
        assertThat(clients.rest(carol).post(messages(group) + "/" + daves + "/recall", null).ok().json()
                .get("recalled").asBoolean()).isTrue();

        assertThat(chat.history(dave, group)).extracting(message -> message.get("recalled").asBoolean())
                .containsExactly(true, true, true);
    }

    @Test
    void peerInADirectChatCannotRecallTheOthersMessage() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String direct = clients.rest(alice).post("/api/v1/conversations/direct", body("userId", bob.id()))
                .status(201).json().get("id").asString();
        long id = chat.send(alice, direct, "mine to take back").get("id").asLong();

        clients.rest(bob).post(messages(direct) + "/" + id + "/recall", null).problem(403, "NOT_THE_AUTHOR");

        assertThat(chat.message(bob, direct, 1).get("recalled").asBoolean()).isFalse();
    }

    @Test
    void editsAndRecallKeepEveryEarlierTextForCompliance() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        long id = chat.send(alice, group, "draft one").get("id").asLong();
        clients.rest(alice).patch(messages(group) + "/" + id, body("text", "draft two")).ok();
        clients.rest(alice).patch(messages(group) + "/" + id, body("text", "draft three")).ok();
        JsonNode recalled = clients.rest(alice).post(messages(group) + "/" + id + "/recall", null).ok().json();
        assertThat(absent(recalled, "text")).isTrue();
        assertThat(recalled.get("version").asInt()).isEqualTo(4);

        List<String> revisions = jdbc.sql(
                        "SELECT body FROM chat.message_revision WHERE message_id = :id ORDER BY revision")
                .param("id", id).query(String.class).list();
        Map<String, Object> row = jdbc.sql("SELECT body, recalled_at, recalled_by FROM chat.message WHERE id = :id")
                .param("id", id).query().singleRow();

        assertThat(revisions).containsExactly("draft one", "draft two");
        assertThat(row.get("body")).isEqualTo("draft three");
        assertThat(row.get("recalled_at")).isNotNull();
        assertThat(row.get("recalled_by")).isEqualTo(alice.id());
    }

    // --- replies and mentions ---------------------------------------------------------------------

    @Test
    void replyCarriesAPreviewOfTheQuotedMessage() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        JsonNode question = chat.send(alice, group, "lunch at noon?");
        long questionId = question.get("id").asLong();

        JsonNode reply = clients.rest(bob).post(messages(group),
                body("clientMessageId", "b-1", "text", "yes!", "replyToMessageId", questionId)).status(201).json();

        JsonNode preview = reply.get("replyTo");
        assertThat(preview.get("id").asLong()).isEqualTo(questionId);
        assertThat(preview.get("seq").asLong()).isEqualTo(1);
        assertThat(preview.get("senderId").asString()).isEqualTo(alice.id().toString());
        assertThat(preview.get("text").asString()).isEqualTo("lunch at noon?");
        assertThat(chat.message(alice, group, 2).get("replyTo").get("id").asLong()).isEqualTo(questionId);

        clients.rest(alice).post(messages(group) + "/" + questionId + "/recall", null).ok();
        JsonNode afterRecall = chat.message(bob, group, 2).get("replyTo");
        assertThat(afterRecall.get("id").asLong()).isEqualTo(questionId);
        assertThat(absent(afterRecall, "text")).as("a recalled message's text does not live on in replies").isTrue();
    }

    @Test
    void replyToAMessageOfAnotherConversationIsRefused() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        String elsewhere = chat.group(alice);
        long foreign = chat.send(alice, elsewhere, "not in bob's group").get("id").asLong();

        clients.rest(bob).post(messages(group),
                body("clientMessageId", "b-1", "text", "quoting", "replyToMessageId", foreign))
                .problem(422, "MESSAGE_NOT_FOUND");
        clients.rest(bob).post(messages(group),
                body("clientMessageId", "b-2", "text", "quoting", "replyToMessageId", Long.MAX_VALUE))
                .problem(422, "MESSAGE_NOT_FOUND");

        assertThat(chat.storedMessages(group)).isZero();
        assertThat(chat.storedLastSeq(group)).isZero();
    }

    @Test
    void mentionOfAMemberNamesThemAndNobodyElse() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        TestUser outsider = clients.user("outsider");
        String group = chat.group(alice, bob, carol);

        JsonNode sent = chat.send(alice, group, "@" + bob.username() + " please review, cc @" + outsider.username()
                + " and mail@" + carol.username());

        assertThat(ids(sent.get("mentions"))).containsExactly(bob.id());
        assertThat(sent.get("mentionsAll").asBoolean()).isFalse();
        assertThat(ids(chat.message(carol, group, 1).get("mentions"))).containsExactly(bob.id());
    }

    @Test
    void mentionAtTheEndOfASentenceStillNamesTheMember() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        String group = chat.group(alice, bob, carol);

        JsonNode sent = chat.send(alice, group, "Thanks @" + bob.username() + ". And you, @" + carol.username() + "!");

        assertThat(ids(sent.get("mentions"))).containsExactlyInAnyOrder(bob.id(), carol.id());
    }

    @Test
    void ownerAndAdminsMayMentionAll() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        String group = chat.group(alice, bob, carol);
        chat.promote(alice, group, bob);

        JsonNode fromOwner = chat.send(alice, group, "@all release at 5pm");
        JsonNode fromAdmin = chat.send(bob, group, "Reminder for @all: release at 5pm");

        assertThat(fromOwner.get("mentionsAll").asBoolean()).isTrue();
        assertThat(fromAdmin.get("mentionsAll").asBoolean()).isTrue();
        assertThat(chat.message(carol, group, 1).get("mentionsAll").asBoolean()).isTrue();
        assertThat(chat.send(alice, group, "no one in particular").get("mentionsAll").asBoolean()).isFalse();
    }

    @Test
    void plainMemberMayNotMentionAllAndNothingIsStored() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        String direct = clients.rest(alice).post("/api/v1/conversations/direct", body("userId", bob.id()))
                .status(201).json().get("id").asString();

        clients.rest(bob).post(messages(group), body("clientMessageId", "b-1", "text", "@all free pizza"))
                .problem(403, "MENTION_ALL_NOT_ALLOWED");
        clients.rest(alice).post(messages(direct), body("clientMessageId", "a-1", "text", "@all hi"))
                .problem(403, "MENTION_ALL_NOT_ALLOWED");

        assertThat(chat.storedMessages(group)).isZero();
        assertThat(chat.storedLastSeq(group)).isZero();
        assertThat(chat.storedMessages(direct)).isZero();
        // The refused attempt did not use up the client message id either.
        assertThat(clients.rest(bob).post(messages(group), body("clientMessageId", "b-1", "text", "free pizza"))
                .status(201).json().get("seq").asLong()).isEqualTo(1);
    }

    // --- reactions ---------------------------------------------------------------------------------

    @Test
    void reactionsAreAddedAndRemovedPerPerson() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        String group = chat.group(alice, bob, carol);
        long id = chat.send(alice, group, "shipped!").get("id").asLong();
        String thumbsUp = messages(group) + "/" + id + "/reactions/👍";

        JsonNode afterBob = clients.rest(bob).put(thumbsUp).ok().json();
        assertThat(afterBob.get("reactions")).hasSize(1);
        assertThat(afterBob.get("reactions").get(0).get("emoji").asString()).isEqualTo("👍");
        assertThat(ids(afterBob.get("reactions").get(0).get("userIds"))).containsExactly(bob.id());

        clients.rest(carol).put(thumbsUp).ok();
        JsonNode again = clients.rest(bob).put(thumbsUp).ok().json();
        assertThat(ids(again.get("reactions").get(0).get("userIds"))).as("reacting twice counts once")
                .containsExactly(bob.id(), carol.id());
        clients.rest(carol).put(messages(group) + "/" + id + "/reactions/🎉").ok();

        JsonNode seen = chat.message(alice, group, 1);
        assertThat(seen.get("reactions").valueStream().map(reaction -> reaction.get("emoji").asString()))
                .containsExactly("👍", "🎉");

        JsonNode afterRemoval = clients.rest(bob).delete(thumbsUp).ok().json();
        assertThat(ids(afterRemoval.get("reactions").get(0).get("userIds"))).containsExactly(carol.id());
        clients.rest(carol).delete(thumbsUp).ok();
        clients.rest(carol).delete(messages(group) + "/" + id + "/reactions/🎉").ok();
        assertThat(chat.message(bob, group, 1).get("reactions")).isEmpty();
    }

    @Test
    void invalidReactionIsRefusedAndChangesNothing() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        long id = chat.send(alice, group, "react to me").get("id").asLong();

        clients.rest(bob).put(messages(group) + "/" + id + "/reactions/thumbs up").problem(400, "INVALID_REACTION");
        clients.rest(bob).put(messages(group) + "/" + id + "/reactions/" + "x".repeat(33))
                .problem(400, "INVALID_REACTION");

        JsonNode unchanged = chat.message(alice, group, 1);
        assertThat(unchanged.get("reactions")).isEmpty();
        assertThat(unchanged.get("version").asInt()).isEqualTo(1);
    }

    @Test
    void recalledMessageTakesNoReactions() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        long id = chat.send(alice, group, "gone soon").get("id").asLong();
        clients.rest(alice).post(messages(group) + "/" + id + "/recall", null).ok();

        clients.rest(bob).put(messages(group) + "/" + id + "/reactions/👍").problem(409, "MESSAGE_RECALLED");

        assertThat(chat.message(bob, group, 1).get("reactions")).isEmpty();
    }

    // --- read state ----------------------------------------------------------------------------------

    @Test
    void unreadCountFollowsEachMembersOwnReads() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        TestUser dave = clients.user("dave");
        String group = chat.group(alice, bob, carol, dave);
        for (int i = 1; i <= 4; i++) {
            chat.send(alice, group, "update " + i);
        }

        JsonNode bobRead = clients.rest(bob).post("/api/v1/conversations/" + group + "/read", body("seq", 2)).ok()
                .json();
        clients.rest(carol).post("/api/v1/conversations/" + group + "/read", body("seq", 4)).ok();
        JsonNode bobBack = clients.rest(bob).post("/api/v1/conversations/" + group + "/read", body("seq", 1)).ok()
                .json();

        assertThat(bobRead.get("readSeq").asLong()).isEqualTo(2);
        assertThat(bobRead.get("unreadCount").asLong()).isEqualTo(2);
        assertThat(bobBack.get("readSeq").asLong()).as("the read cursor never moves back").isEqualTo(2);
        assertThat(unread(alice, group)).as("the sender has read their own messages").isZero();
        assertThat(unread(bob, group)).isEqualTo(2);
        assertThat(unread(carol, group)).isZero();
        assertThat(unread(dave, group)).isEqualTo(4);

        // Sending implies having read everything before one's own message.
        chat.send(dave, group, "catching up");
        assertThat(unread(dave, group)).isZero();
        assertThat(unread(carol, group)).isEqualTo(1);
    }

    @Test
    void readReceiptsSplitTheOtherMembersByWhetherTheyReadTheMessage() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        TestUser dave = clients.user("dave");
        String group = chat.group(alice, bob, carol, dave);
        chat.send(alice, group, "one");
        long second = chat.send(alice, group, "two").get("id").asLong();
        long third = chat.send(alice, group, "three").get("id").asLong();
        clients.rest(bob).post("/api/v1/conversations/" + group + "/read", body("seq", 2)).ok();
        clients.rest(carol).post("/api/v1/conversations/" + group + "/read", body("seq", 3)).ok();

        JsonNode ofSecond = clients.rest(dave).get(messages(group) + "/" + second + "/reads").ok().json();
        JsonNode ofThird = clients.rest(alice).get(messages(group) + "/" + third + "/reads").ok().json();

        assertThat(ofSecond.get("messageId").asLong()).isEqualTo(second);
        assertThat(ofSecond.get("seq").asLong()).isEqualTo(2);
        assertThat(ids(ofSecond.get("readBy"))).containsExactlyInAnyOrder(bob.id(), carol.id());
        assertThat(ids(ofSecond.get("unreadBy"))).containsExactly(dave.id());
        assertThat(ids(ofThird.get("readBy"))).containsExactly(carol.id());
        assertThat(ids(ofThird.get("unreadBy"))).containsExactlyInAnyOrder(bob.id(), dave.id());
    }

    @Test
    void readBeyondTheLastMessageIsRefusedAndMovesNothing() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        chat.send(alice, group, "one");
        chat.send(alice, group, "two");
        clients.rest(bob).post("/api/v1/conversations/" + group + "/read", body("seq", 1)).ok();

        clients.rest(bob).post("/api/v1/conversations/" + group + "/read", body("seq", 3))
                .problem(422, "SEQ_OUT_OF_RANGE");

        JsonNode atBob = chat.conversation(bob, group);
        assertThat(atBob.get("readSeq").asLong()).isEqualTo(1);
        assertThat(atBob.get("unreadCount").asLong()).isEqualTo(1);
    }

    @Test
    void readReceiptsOfAMessageFromAnotherConversationAreNotFound() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        String elsewhere = chat.group(alice);
        long foreign = chat.send(alice, elsewhere, "private").get("id").asLong();

        clients.rest(bob).get(messages(group) + "/" + foreign + "/reads").problem(404, "MESSAGE_NOT_FOUND");
        clients.rest(bob).patch(messages(group) + "/" + foreign, body("text", "hijacked"))
                .problem(404, "MESSAGE_NOT_FOUND");
        clients.rest(alice).post(messages(group) + "/" + foreign + "/recall", null).problem(404, "MESSAGE_NOT_FOUND");
        assertThat(chat.message(alice, elsewhere, 1).get("text").asString()).isEqualTo("private");
    }

    private long unread(TestUser member, String group) {
        return chat.conversation(member, group).get("unreadCount").asLong();
    }
}
