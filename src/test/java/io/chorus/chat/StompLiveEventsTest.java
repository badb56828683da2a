package io.chorus.chat;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.StompTestClient;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * What members see live besides new messages: membership changes (and their end to a removed
 * member's feed), typing, read state, presence, and message updates.
 */
@ChorusIntegrationTest
class StompLiveEventsTest {

    @Autowired
    TestClients clients;

    @Test
    void aRemovedMemberIsToldAndThenReceivesNothingMoreFromTheGroup() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        String group = group(alice, "Removal", bob, carol);

        try (StompTestClient aliceLive = clients.stomp(alice);
                StompTestClient bobLive = clients.stomp(bob);
                StompTestClient carolLive = clients.stomp(carol)) {
            // A message first: fan-out now knows the group's members, and must forget Bob.
            aliceLive.sendMessage(group, "before", "before the removal");
            assertThat(bobLive.awaitEvent("message.posted").get("message").get("text").asString())
                    .isEqualTo("before the removal");
            carolLive.awaitEvent("message.posted");
            aliceLive.awaitAck();
            clients.rest(alice).delete("/api/v1/conversations/" + group + "/members/" + bob.id()).status(204);

            JsonNode removed = bobLive.awaitEvent("member.removed");
            assertThat(removed.get("conversationId").asString()).isEqualTo(group);
            assertThat(removed.get("userId").asString()).isEqualTo(bob.id().toString());
            assertThat(carolLive.awaitEvent("member.removed").get("userId").asString()).isEqualTo(bob.id().toString());

            everythingAGroupCanDo(group, aliceLive, carolLive, alice);

            assertThat(bobLive.drainEvents()).as("events at the removed member").isEmpty();
            bobLive.sendMessage(group, "still-here", "can I still post?");
            assertThat(bobLive.awaitError().get("code").asString()).isEqualTo(ChatProblems.NOT_A_MEMBER);
            assertThat(bobLive.drainAcks()).isEmpty();
        }
    }

    @Test
    void aMemberAddedToABusyGroupReceivesItsNextMessage() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser dave = clients.user("dave");
        String group = group(alice, "Growing", bob);

        try (StompTestClient aliceLive = clients.stomp(alice);
                StompTestClient bobLive = clients.stomp(bob);
                StompTestClient daveLive = clients.stomp(dave)) {
            aliceLive.sendMessage(group, "first", "before Dave");
            bobLive.awaitEvent("message.posted");
            clients.rest(alice).post("/api/v1/conversations/" + group + "/members",
                    body("userIds", List.of(dave.id()))).ok();
            aliceLive.sendMessage(group, "second", "Dave is in");

            assertThat(daveLive.awaitEvent("message.posted").get("message").get("text").asString())
                    .isEqualTo("Dave is in");
            assertThat(bobLive.awaitEvent("message.posted").get("message").get("text").asString())
                    .isEqualTo("Dave is in");
        }
    }

    @Test
    void aMemberWhoLeavesIsToldAndThenReceivesNothingMoreFromTheGroup() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        String group = group(alice, "Leaving", bob, carol);

        try (StompTestClient aliceLive = clients.stomp(alice);
                StompTestClient bobLive = clients.stomp(bob);
                StompTestClient carolLive = clients.stomp(carol)) {
            clients.rest(bob).delete("/api/v1/conversations/" + group + "/members/" + bob.id()).status(204);

            JsonNode left = bobLive.awaitEvent("member.removed");
            assertThat(left.get("conversationId").asString()).isEqualTo(group);
            assertThat(left.get("userId").asString()).isEqualTo(bob.id().toString());
            assertThat(aliceLive.awaitEvent("member.removed").get("userId").asString()).isEqualTo(bob.id().toString());

            everythingAGroupCanDo(group, aliceLive, carolLive, alice);

            assertThat(bobLive.drainEvents()).as("events at the member who left").isEmpty();
        }
    }

    /** Messages, a typing signal, a read, a rename and an edit in the group; Carol, still a member, sees them all. */
    private void everythingAGroupCanDo(String group, StompTestClient aliceLive, StompTestClient carolLive,
            TestUser alice) {
        long messageId = 0;
        for (int i = 1; i <= 3; i++) {
            aliceLive.sendMessage(group, "after-" + i, "after removal " + i);
            messageId = aliceLive.awaitAck().get("messageId").asLong();
        }
        aliceLive.send("/app/conversations/" + group + "/typing", Map.of());
        carolLive.send("/app/conversations/" + group + "/read", Map.of("seq", 3));
        clients.rest(alice).patch("/api/v1/conversations/" + group, body("name", "Renamed")).ok();
        clients.rest(alice).patch("/api/v1/conversations/" + group + "/messages/" + messageId,
                body("text", "after removal 3, edited")).ok();

        awaitEvents(carolLive, "message.posted", "message.posted", "message.posted", "typing",
                "conversation.updated", "message.updated");
        awaitEvents(aliceLive, "read.updated");
    }

    /** Waits until events of these types (a multiset, in any order) have arrived. */
    private static void awaitEvents(StompTestClient client, String... types) {
        List<String> missing = new ArrayList<>(List.of(types));
        while (!missing.isEmpty()) {
            JsonNode event = client.awaitEvent(candidate -> missing.contains(candidate.path("type").asString()));
            missing.remove(event.path("type").asString());
        }
    }

    @Test
    void typingReachesTheOtherMembersButNotTheTypist() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        TestUser outsider = clients.user("outsider");
        String group = group(alice, "Typing", bob, carol);

        try (StompTestClient aliceLive = clients.stomp(alice);
                StompTestClient bobLive = clients.stomp(bob);
                StompTestClient carolLive = clients.stomp(carol);
                StompTestClient outsiderLive = clients.stomp(outsider)) {
            bobLive.send("/app/conversations/" + group + "/typing", Map.of());

            for (StompTestClient other : List.of(aliceLive, carolLive)) {
                JsonNode typing = other.awaitEvent("typing");
                assertThat(typing.get("conversationId").asString()).isEqualTo(group);
                assertThat(typing.get("userId").asString()).isEqualTo(bob.id().toString());
            }
            assertThat(bobLive.drainEvents()).as("events at the typist").isEmpty();

            // Someone outside the group cannot make its members see them typing.
            outsiderLive.send("/app/conversations/" + group + "/typing", Map.of());
            JsonNode refused = outsiderLive.awaitError();
            assertThat(refused.get("code").asString()).isEqualTo(ChatProblems.NOT_A_MEMBER);
            assertThat(refused.get("destination").asString()).isEqualTo("/app/conversations/" + group + "/typing");
            assertThat(aliceLive.drainEvents()).as("events after the outsider's attempt").isEmpty();
        }
    }

    @Test
    void readingOverStompTellsTheOtherMembersAndMovesUnreadCounts() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        String group = group(alice, "Reading", bob, carol);

        try (StompTestClient aliceLive = clients.stomp(alice);
                StompTestClient bobLive = clients.stomp(bob);
                StompTestClient carolLive = clients.stomp(carol)) {
            for (int i = 1; i <= 3; i++) {
                aliceLive.sendMessage(group, "r-" + i, "please read " + i);
                aliceLive.awaitAck();
            }
            for (int i = 0; i < 3; i++) {
                bobLive.awaitEvent("message.posted");
            }
            assertThat(conversation(bob, group).get("unreadCount").asLong()).isEqualTo(3);

            bobLive.send("/app/conversations/" + group + "/read", Map.of("seq", 2));

            for (StompTestClient other : List.of(aliceLive, carolLive)) {
                JsonNode read = other.awaitEvent("read.updated");
                assertThat(read.get("conversationId").asString()).isEqualTo(group);
                assertThat(read.get("userId").asString()).isEqualTo(bob.id().toString());
                assertThat(read.get("readSeq").asLong()).isEqualTo(2);
            }
            JsonNode bobsView = conversation(bob, group);
            assertThat(bobsView.get("readSeq").asLong()).isEqualTo(2);
            assertThat(bobsView.get("unreadCount").asLong()).isEqualTo(1);
            assertThat(conversation(carol, group).get("unreadCount").asLong()).isEqualTo(3);
            assertThat(conversation(alice, group).get("unreadCount").asLong()).isZero();

            // A read cursor never moves back, and an unchanged one is not announced.
            bobLive.send("/app/conversations/" + group + "/read", Map.of("seq", 1));
            assertThat(aliceLive.drainEvents()).as("events after reading an older seq").isEmpty();
            assertThat(conversation(bob, group).get("readSeq").asLong()).isEqualTo(2);

            bobLive.send("/app/conversations/" + group + "/read", Map.of("seq", 99));
            JsonNode refused = bobLive.awaitError();
            assertThat(refused.get("code").asString()).isEqualTo(ChatProblems.SEQ_OUT_OF_RANGE);
            assertThat(conversation(bob, group).get("readSeq").asLong()).isEqualTo(2);

            // A read without a seq (or without a body) is refused, not taken as "seq 0".
            bobLive.send("/app/conversations/" + group + "/read", Map.of("note", "no seq here"));
            assertThat(bobLive.awaitError().get("code").asString()).isEqualTo("MALFORMED_REQUEST");
            bobLive.send("/app/conversations/" + group + "/read", java.util.Collections.singletonMap("seq", null));
            assertThat(bobLive.awaitError().get("code").asString()).isEqualTo("VALIDATION_FAILED");
            bobLive.send("/app/conversations/" + group + "/read", Map.of());
            assertThat(bobLive.awaitError().get("code").asString()).isEqualTo("VALIDATION_FAILED");
            assertThat(conversation(bob, group).get("readSeq").asLong()).isEqualTo(2);
        }
    }

    @Test
    void presenceLastsWhileAnySessionIsOpenAndIsPushedToDirectChatPeers() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        clients.rest(alice).post("/api/v1/conversations/direct", body("userId", bob.id())).status(201);
        group(carol, "Not a direct chat", bob);

        try (StompTestClient aliceLive = clients.stomp(alice); StompTestClient carolLive = clients.stomp(carol)) {
            assertThat(online(alice, bob)).isFalse();

            StompTestClient bobLaptop = clients.stomp(bob);
            JsonNode cameOnline = aliceLive.awaitEvent("presence");
            assertThat(cameOnline.get("userId").asString()).isEqualTo(bob.id().toString());
            assertThat(cameOnline.get("online").asBoolean()).isTrue();
            assertThat(online(alice, bob)).isTrue();

            StompTestClient bobPhone = clients.stomp(bob);
            assertThat(aliceLive.drainEvents()).as("events when a second device connects").isEmpty();

            bobLaptop.close();
            assertThat(aliceLive.drainEvents()).as("events when one of two devices disconnects").isEmpty();
            assertThat(online(alice, bob)).as("online with the phone still connected").isTrue();

            bobPhone.close();
            JsonNode wentOffline = aliceLive.awaitEvent("presence");
            assertThat(wentOffline.get("userId").asString()).isEqualTo(bob.id().toString());
            assertThat(wentOffline.get("online").asBoolean()).isFalse();
            assertThat(online(alice, bob)).isFalse();

            assertThat(carolLive.drainEvents()).as("presence events at someone with no direct chat with Bob")
                    .isEmpty();
        }
    }

    @Test
    void editsReactionsAndRecallsArriveAsUpdatesWithAGrowingVersion() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = group(alice, "Updates", bob);
        String messages = "/api/v1/conversations/" + group + "/messages/";

        try (StompTestClient aliceLive = clients.stomp(alice); StompTestClient bobLive = clients.stomp(bob)) {
            aliceLive.sendMessage(group, "u-1", "Lunch at 12");
            long id = aliceLive.awaitAck().get("messageId").asLong();
            assertThat(bobLive.awaitEvent("message.posted").at("/message/version").asInt()).isEqualTo(1);

            List<Integer> restVersions = new ArrayList<>();
            restVersions.add(clients.rest(alice).patch(messages + id, body("text", "Lunch at 12:30")).ok().json()
                    .get("version").asInt());
            restVersions.add(clients.rest(bob).put(messages + id + "/reactions/👍").ok().json().get("version").asInt());
            restVersions.add(clients.rest(bob).delete(messages + id + "/reactions/👍").ok().json().get("version").asInt());
            restVersions.add(clients.rest(alice).post(messages + id + "/recall", null).ok().json()
                    .get("version").asInt());

            List<JsonNode> updates = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                JsonNode update = bobLive.awaitEvent("message.updated");
                assertThat(update.get("conversationId").asString()).isEqualTo(group);
                assertThat(update.at("/message/id").asLong()).isEqualTo(id);
                updates.add(update.get("message"));
            }
            assertThat(updates).extracting(message -> message.get("version").asInt())
                    .containsExactly(2, 3, 4, 5)
                    .isEqualTo(restVersions);
            assertThat(updates.get(0).get("text").asString()).isEqualTo("Lunch at 12:30");
            assertThat(updates.get(0).get("editedAt").isNull()).isFalse();
            assertThat(updates.get(1).at("/reactions/0/emoji").asString()).isEqualTo("👍");
            assertThat(updates.get(1).at("/reactions/0/userIds/0").asString()).isEqualTo(bob.id().toString());
            assertThat(updates.get(2).get("reactions")).isEmpty();
            assertThat(updates.get(3).get("recalled").asBoolean()).isTrue();
            assertThat(updates.get(3).get("text").isNull()).as("text of the recalled message").isTrue();
            assertThat(bobLive.drainEvents()).as("events beyond the four updates").isEmpty();

            // The author's own sessions get the updates too.
            assertThat(aliceLive.awaitEvent(event -> "message.updated".equals(event.path("type").asString())
                    && event.at("/message/version").asInt() == 5).at("/message/recalled").asBoolean()).isTrue();
        }
    }

    private String group(TestUser owner, String name, TestUser... members) {
        return clients.rest(owner).post("/api/v1/conversations/groups",
                body("name", name, "memberIds", Arrays.stream(members).map(TestUser::id).toList()))
                .status(201).json().get("id").asString();
    }

    private JsonNode conversation(TestUser viewer, String id) {
        return clients.rest(viewer).get("/api/v1/conversations/" + id).ok().json();
    }

    private boolean online(TestUser asking, TestUser about) {
        JsonNode answer = clients.rest(asking).get("/api/v1/presence?userIds=" + about.id()).ok().json();
        assertThat(answer).hasSize(1);
        assertThat(answer.at("/0/userId").asString()).isEqualTo(about.id().toString());
        return answer.at("/0/online").asBoolean();
    }
}
