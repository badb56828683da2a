package io.chorus.chat;

import static io.chorus.chat.ChatSetup.members;
import static io.chorus.chat.ChatSetup.messages;
import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@ChorusIntegrationTest
class ConversationApiTest {

    @Autowired
    TestClients clients;

    @Autowired
    JdbcClient jdbc;

    ChatSetup chat;

    @BeforeEach
    void setUp() {
        chat = new ChatSetup(clients, jdbc);
    }

    // --- direct chats -------------------------------------------------------------------------

    @Test
    void directChatIsCreatedOnceAndReopenedFromEitherSide() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");

        JsonNode created = clients.rest(alice).post("/api/v1/conversations/direct", body("userId", bob.id()))
                .status(201).json();
        String id = created.get("id").asString();
        assertThat(created.get("kind").asString()).isEqualTo("DIRECT");
        assertThat(created.get("peerId").asString()).isEqualTo(bob.id().toString());
        assertThat(created.get("memberCount").asInt()).isEqualTo(2);

        JsonNode again = clients.rest(alice).post("/api/v1/conversations/direct", body("userId", bob.id()))
                .status(200).json();
        JsonNode fromBob = clients.rest(bob).post("/api/v1/conversations/direct", body("userId", alice.id()))
                .status(200).json();

        assertThat(again.get("id").asString()).isEqualTo(id);
        assertThat(fromBob.get("id").asString()).isEqualTo(id);
        assertThat(fromBob.get("peerId").asString()).as("each side sees the other").isEqualTo(alice.id().toString());
        assertThat(listIds(bob)).containsExactly(id);
        assertThat(directChatsBetween(alice, bob)).isEqualTo(1);
    }

    @Test
    void directChatOpenedByBothPeopleAtOnceIsStillOne() throws Exception {
        int rounds = 5;
        int attemptsPerSide = 3;
        ExecutorService threads = Executors.newFixedThreadPool(2 * attemptsPerSide);
        try {
            for (int round = 0; round < rounds; round++) {
                TestUser alice = clients.user("alice");
                TestUser bob = clients.user("bob");
                CyclicBarrier start = new CyclicBarrier(2 * attemptsPerSide);
                List<Future<RestApi.Response>> attempts = new ArrayList<>();
                for (int i = 0; i < attemptsPerSide; i++) {
                    attempts.add(threads.submit(() -> open(start, alice, bob)));
                    attempts.add(threads.submit(() -> open(start, bob, alice)));
                }
                List<RestApi.Response> responses = new ArrayList<>();
                for (Future<RestApi.Response> attempt : attempts) {
                    responses.add(attempt.get());
                }

                assertThat(responses).extracting(RestApi.Response::status).containsOnly(200, 201)
                        .filteredOn(status -> status == 201).as("exactly one call creates the chat").hasSize(1);
                assertThat(responses.stream().map(response -> response.json().get("id").asString()).distinct())
                        .as("every call answers with the same chat").hasSize(1);
                assertThat(directChatsBetween(alice, bob)).isEqualTo(1);
                String id = responses.getFirst().json().get("id").asString();
                assertThat(chat.memberList(alice, id)).extracting(member -> member.get("userId").asString())
                        .containsExactlyInAnyOrder(alice.id().toString(), bob.id().toString());
                assertThat(chat.conversation(bob, id).get("memberCount").asInt()).isEqualTo(2);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private RestApi.Response open(CyclicBarrier start, TestUser me, TestUser peer) throws Exception {
        RestApi api = clients.rest(me);
        start.await();
        return api.post("/api/v1/conversations/direct", body("userId", peer.id()));
    }

    @Test
    void directChatWithOneselfIsRefused() {
        TestUser alice = clients.user("alice");

        clients.rest(alice).post("/api/v1/conversations/direct", body("userId", alice.id()))
                .problem(422, "DIRECT_CHAT_WITH_SELF");
        assertThat(listIds(alice)).isEmpty();
    }

    @Test
    void directChatWithAnUnknownUserIsRefusedAndCreatesNothing() {
        TestUser alice = clients.user("alice");

        clients.rest(alice).post("/api/v1/conversations/direct", body("userId", UUID.randomUUID()))
                .problem(422, "UNKNOWN_USER");
        assertThat(listIds(alice)).isEmpty();
        assertThat(conversationsCreatedBy(alice)).isZero();
    }

    // --- groups ---------------------------------------------------------------------------------

    @Test
    void creatingAGroupMakesTheCreatorItsOwnerAndCountsEveryMemberOnce() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");

        JsonNode group = clients.rest(alice).post("/api/v1/conversations/groups", body("name", "  Phoenix  ",
                "memberIds", List.of(bob.id(), carol.id(), bob.id(), alice.id()))).status(201).json();

        String id = group.get("id").asString();
        assertThat(group.get("kind").asString()).isEqualTo("GROUP");
        assertThat(group.get("name").asString()).isEqualTo("Phoenix");
        assertThat(group.get("myRole").asString()).isEqualTo("OWNER");
        assertThat(group.get("memberCount").asInt()).isEqualTo(3);
        assertThat(roles(alice, id)).containsExactlyInAnyOrderEntriesOf(Map.of(
                alice.id().toString(), "OWNER", bob.id().toString(), "MEMBER", carol.id().toString(), "MEMBER"));
        JsonNode atBob = chat.conversation(bob, id);
        assertThat(atBob.get("myRole").asString()).isEqualTo("MEMBER");
        assertThat(atBob.get("memberCount").asInt()).isEqualTo(3);
        assertThat(listIds(carol)).containsExactly(id);
    }

    @Test
    void groupWithAnUnknownMemberIsRefusedAndCreatesNothing() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");

        clients.rest(alice).post("/api/v1/conversations/groups",
                body("name", "Ghosts", "memberIds", List.of(bob.id(), UUID.randomUUID()))).problem(422, "UNKNOWN_USER");

        assertThat(listIds(alice)).isEmpty();
        assertThat(listIds(bob)).isEmpty();
        assertThat(conversationsCreatedBy(alice)).isZero();
    }

    @Test
    void ownerRenamesTheGroupForEveryone() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);

        JsonNode renamed = clients.rest(alice).patch("/api/v1/conversations/" + group, body("name", "Phoenix v2"))
                .ok().json();

        assertThat(renamed.get("name").asString()).isEqualTo("Phoenix v2");
        assertThat(chat.conversation(bob, group).get("name").asString()).isEqualTo("Phoenix v2");
    }

    @Test
    void plainMemberCannotRenameOrArchiveTheGroup() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        String name = chat.conversation(alice, group).get("name").asString();

        clients.rest(bob).patch("/api/v1/conversations/" + group, body("name", "Bob's now"))
                .problem(403, "NOT_ALLOWED");
        clients.rest(bob).post("/api/v1/conversations/" + group + "/archive", null).problem(403, "NOT_ALLOWED");

        JsonNode unchanged = chat.conversation(alice, group);
        assertThat(unchanged.get("name").asString()).isEqualTo(name);
        assertThat(unchanged.get("archived").asBoolean()).isFalse();
    }

    @Test
    void onlyTheOwnerArchivesTheGroup() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        chat.promote(alice, group, bob);

        clients.rest(bob).post("/api/v1/conversations/" + group + "/archive", null).problem(403, "NOT_ALLOWED");
        assertThat(chat.conversation(alice, group).get("archived").asBoolean()).isFalse();

        assertThat(clients.rest(alice).post("/api/v1/conversations/" + group + "/archive", null).ok().json()
                .get("archived").asBoolean()).isTrue();
        assertThat(chat.conversation(bob, group).get("archived").asBoolean()).isTrue();
    }

    @Test
    void archivedGroupStaysReadableButTakesNoMessagesOrChanges() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        String group = chat.group(alice, bob);
        long before = chat.send(bob, group, "before the archive").get("id").asLong();
        clients.rest(alice).post("/api/v1/conversations/" + group + "/archive", null).ok();

        // Read-only: the existing message is no longer edited, recalled or reacted to.
        clients.rest(bob).patch(messages(group) + "/" + before, body("text", "rewritten"))
                .problem(409, "CONVERSATION_ARCHIVED");
        clients.rest(alice).post(messages(group) + "/" + before + "/recall", null)
                .problem(409, "CONVERSATION_ARCHIVED");
        clients.rest(alice).put(messages(group) + "/" + before + "/reactions/ok")
                .problem(409, "CONVERSATION_ARCHIVED");

        clients.rest(bob).post(messages(group), body("clientMessageId", "late-1", "text", "anyone?"))
                .problem(409, "CONVERSATION_ARCHIVED");
        clients.rest(alice).post(messages(group), body("clientMessageId", "late-2", "text", "closing words"))
                .problem(409, "CONVERSATION_ARCHIVED");
        clients.rest(alice).patch("/api/v1/conversations/" + group, body("name", "Renamed"))
                .problem(409, "CONVERSATION_ARCHIVED");
        clients.rest(alice).post(members(group), body("userIds", List.of(carol.id())))
                .problem(409, "CONVERSATION_ARCHIVED");

        assertThat(chat.history(bob, group)).extracting(message -> message.get("text").asString())
                .containsExactly("before the archive");
        assertThat(chat.storedLastSeq(group)).isEqualTo(1);
        assertThat(listIds(carol)).isEmpty();

        // Archiving again is a no-op, not an error.
        assertThat(clients.rest(alice).post("/api/v1/conversations/" + group + "/archive", null).ok().json()
                .get("archived").asBoolean()).isTrue();
        // Nobody is removed from an archived group, but anyone may still leave it.
        clients.rest(alice).delete(members(group) + "/" + bob.id()).problem(409, "CONVERSATION_ARCHIVED");
        clients.rest(bob).delete(members(group) + "/" + bob.id()).status(204);
        clients.rest(bob).get("/api/v1/conversations/" + group).problem(403, "NOT_A_MEMBER");
    }

    // --- members --------------------------------------------------------------------------------

    @Test
    void onlyOwnersAndAdminsAddMembers() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        TestUser dave = clients.user("dave");
        String group = chat.group(alice, bob);

        clients.rest(bob).post(members(group), body("userIds", List.of(carol.id()))).problem(403, "NOT_ALLOWED");
        assertThat(listIds(carol)).isEmpty();
        assertThat(chat.conversation(alice, group).get("memberCount").asInt()).isEqualTo(2);

        chat.promote(alice, group, bob);
        clients.rest(bob).post(members(group), body("userIds", List.of(carol.id()))).ok();
        clients.rest(alice).post(members(group), body("userIds", List.of(dave.id(), carol.id()))).ok();

        assertThat(roles(alice, group)).containsExactlyInAnyOrderEntriesOf(Map.of(
                alice.id().toString(), "OWNER", bob.id().toString(), "ADMIN",
                carol.id().toString(), "MEMBER", dave.id().toString(), "MEMBER"));
        assertThat(chat.conversation(carol, group).get("memberCount").asInt()).isEqualTo(4);
    }

    @Test
    void addingAnUnknownUserIsRefusedAndAddsNobody() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        String group = chat.group(alice, bob);

        clients.rest(alice).post(members(group), body("userIds", List.of(carol.id(), UUID.randomUUID())))
                .problem(422, "UNKNOWN_USER");

        assertThat(listIds(carol)).isEmpty();
        assertThat(chat.conversation(alice, group).get("memberCount").asInt()).isEqualTo(2);
    }

    @Test
    void plainMemberCannotRemoveAnyone() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        String group = chat.group(alice, bob, carol);

        clients.rest(bob).delete(members(group) + "/" + carol.id()).problem(403, "NOT_ALLOWED");
        clients.rest(bob).delete(members(group) + "/" + alice.id()).problem(403, "NOT_ALLOWED");

        assertThat(chat.memberList(alice, group)).hasSize(3);
        assertThat(chat.conversation(carol, group).get("memberCount").asInt()).isEqualTo(3);
    }

    @Test
    void adminRemovesMembersButNeitherAdminsNorTheOwner() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        TestUser dave = clients.user("dave");
        String group = chat.group(alice, bob, carol, dave);
        chat.promote(alice, group, bob);
        chat.promote(alice, group, carol);

        clients.rest(bob).delete(members(group) + "/" + carol.id()).problem(403, "NOT_ALLOWED");
        clients.rest(bob).delete(members(group) + "/" + alice.id()).problem(403, "NOT_ALLOWED");
        assertThat(chat.memberList(alice, group)).hasSize(4);

        clients.rest(bob).delete(members(group) + "/" + dave.id()).status(204);

        assertThat(roles(alice, group).keySet())
                .containsExactlyInAnyOrder(alice.id().toString(), bob.id().toString(), carol.id().toString());
        assertThat(chat.conversation(alice, group).get("memberCount").asInt()).isEqualTo(3);
        clients.rest(dave).get("/api/v1/conversations/" + group).problem(403, "NOT_A_MEMBER");
        clients.rest(dave).post(messages(group), body("clientMessageId", "d-1", "text", "still here?"))
                .problem(403, "NOT_A_MEMBER");
        assertThat(listIds(dave)).isEmpty();
    }

    @Test
    void ownerRemovesAnAdmin() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        chat.promote(alice, group, bob);

        clients.rest(alice).delete(members(group) + "/" + bob.id()).status(204);

        assertThat(roles(alice, group).keySet()).containsExactly(alice.id().toString());
        clients.rest(bob).get(messages(group)).problem(403, "NOT_A_MEMBER");
    }

    @Test
    void removingSomeoneWhoIsNotAMemberIsNotFound() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser stranger = clients.user("stranger");
        String group = chat.group(alice, bob);

        clients.rest(alice).delete(members(group) + "/" + stranger.id()).problem(404, "MEMBER_NOT_FOUND");
        assertThat(chat.conversation(alice, group).get("memberCount").asInt()).isEqualTo(2);
    }

    @Test
    void memberLeavesByRemovingThemselves() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        String group = chat.group(alice, bob, carol);

        clients.rest(carol).delete(members(group) + "/" + carol.id()).status(204);

        assertThat(listIds(carol)).isEmpty();
        clients.rest(carol).get("/api/v1/conversations/" + group).problem(403, "NOT_A_MEMBER");
        assertThat(roles(alice, group).keySet())
                .containsExactlyInAnyOrder(alice.id().toString(), bob.id().toString());
        assertThat(chat.conversation(bob, group).get("memberCount").asInt()).isEqualTo(2);
    }

    @Test
    void memberLeavingWhileBeingRemovedIsCountedOutOnce() throws Exception {
        int rounds = 6;
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < rounds; round++) {
                TestUser alice = clients.user("alice");
                TestUser bob = clients.user("bob");
                TestUser carol = clients.user("carol");
                String group = chat.group(alice, bob, carol);
                chat.promote(alice, group, bob);
                String carolsMembership = members(group) + "/" + carol.id();
                CyclicBarrier start = new CyclicBarrier(4);
                List<Future<RestApi.Response>> attempts = new ArrayList<>();
                for (TestUser remover : List.of(carol, alice, bob, carol)) {
                    attempts.add(threads.submit(() -> {
                        RestApi api = clients.rest(remover);
                        start.await();
                        return api.delete(carolsMembership);
                    }));
                }
                List<RestApi.Response> responses = new ArrayList<>();
                for (Future<RestApi.Response> attempt : attempts) {
                    responses.add(attempt.get());
                }

                // One attempt removes carol. The others find her gone: no longer a member (404), or,
                // for carol's own second attempt, no longer in the group at all (403).
                assertThat(responses).extracting(RestApi.Response::status).as("one removal, the rest refused")
                        .isSubsetOf(204, 404, 403).filteredOn(status -> status == 204).hasSize(1);
                responses.stream().filter(response -> response.status() == 404)
                        .forEach(response -> response.problem(404, "MEMBER_NOT_FOUND"));
                responses.stream().filter(response -> response.status() == 403)
                        .forEach(response -> response.problem(403, "NOT_A_MEMBER"));
                assertThat(roles(alice, group).keySet())
                        .containsExactlyInAnyOrder(alice.id().toString(), bob.id().toString());
                assertThat(chat.conversation(alice, group).get("memberCount").asInt()).isEqualTo(2);
                assertThat(jdbc.sql("SELECT count(*) FROM chat.membership_change WHERE conversation_id = :c "
                                + "AND user_id = :u AND change IN ('LEFT', 'REMOVED')")
                        .param("c", UUID.fromString(group)).param("u", carol.id()).query(Long.class).single())
                        .as("the removal is recorded once").isEqualTo(1);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void ownerMustHandOverOwnershipBeforeLeaving() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        String group = chat.group(alice, bob, carol);

        clients.rest(alice).delete(members(group) + "/" + alice.id()).problem(409, "OWNER_MUST_TRANSFER");
        assertThat(roles(bob, group)).containsEntry(alice.id().toString(), "OWNER").hasSize(3);

        JsonNode newOwner = clients.rest(alice).patch(members(group) + "/" + bob.id(), body("role", "OWNER"))
                .ok().json();
        assertThat(newOwner.get("userId").asString()).isEqualTo(bob.id().toString());
        assertThat(newOwner.get("role").asString()).isEqualTo("OWNER");
        assertThat(roles(carol, group)).containsExactlyInAnyOrderEntriesOf(Map.of(
                alice.id().toString(), "ADMIN", bob.id().toString(), "OWNER", carol.id().toString(), "MEMBER"));

        clients.rest(alice).delete(members(group) + "/" + alice.id()).status(204);

        assertThat(listIds(alice)).isEmpty();
        assertThat(roles(bob, group)).containsExactlyInAnyOrderEntriesOf(Map.of(
                bob.id().toString(), "OWNER", carol.id().toString(), "MEMBER"));
        assertThat(chat.conversation(bob, group).get("memberCount").asInt()).isEqualTo(2);
        // The new owner is bound by the same rule.
        clients.rest(bob).delete(members(group) + "/" + bob.id()).problem(409, "OWNER_MUST_TRANSFER");
    }

    @Test
    void ownershipHandedToTwoPeopleAtOnceEndsWithOneOwner() throws Exception {
        int rounds = 6;
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < rounds; round++) {
                TestUser alice = clients.user("alice");
                TestUser bob = clients.user("bob");
                TestUser carol = clients.user("carol");
                String group = chat.group(alice, bob, carol);
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<RestApi.Response>> attempts = new ArrayList<>();
                for (TestUser heir : List.of(bob, carol)) {
                    attempts.add(threads.submit(() -> {
                        RestApi api = clients.rest(alice);
                        start.await();
                        return api.patch(members(group) + "/" + heir.id(), body("role", "OWNER"));
                    }));
                }
                List<RestApi.Response> responses = new ArrayList<>();
                for (Future<RestApi.Response> attempt : attempts) {
                    responses.add(attempt.get());
                }

                assertThat(responses).extracting(RestApi.Response::status).containsExactlyInAnyOrder(200, 403);
                responses.stream().filter(response -> response.status() == 403)
                        .forEach(response -> response.problem(403, "NOT_ALLOWED"));
                Map<String, String> roles = roles(alice, group);
                assertThat(roles.values()).as("roles after the race: %s", roles)
                        .containsExactlyInAnyOrder("OWNER", "ADMIN", "MEMBER");
                assertThat(roles).containsEntry(alice.id().toString(), "ADMIN");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void onlyTheOwnerChangesRoles() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        String group = chat.group(alice, bob, carol);
        chat.promote(alice, group, bob);

        clients.rest(bob).patch(members(group) + "/" + carol.id(), body("role", "ADMIN")).problem(403, "NOT_ALLOWED");
        clients.rest(bob).patch(members(group) + "/" + bob.id(), body("role", "OWNER")).problem(403, "NOT_ALLOWED");
        clients.rest(carol).patch(members(group) + "/" + carol.id(), body("role", "ADMIN"))
                .problem(403, "NOT_ALLOWED");

        assertThat(roles(alice, group)).containsExactlyInAnyOrderEntriesOf(Map.of(
                alice.id().toString(), "OWNER", bob.id().toString(), "ADMIN", carol.id().toString(), "MEMBER"));
    }

    @Test
    void directChatHasNoMembersToManage() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser carol = clients.user("carol");
        String direct = clients.rest(alice).post("/api/v1/conversations/direct", body("userId", bob.id()))
                .status(201).json().get("id").asString();

        clients.rest(alice).post(members(direct), body("userIds", List.of(carol.id()))).problem(422, "NOT_A_GROUP");
        clients.rest(alice).delete(members(direct) + "/" + bob.id()).problem(422, "NOT_A_GROUP");

        assertThat(chat.conversation(bob, direct).get("memberCount").asInt()).isEqualTo(2);
        assertThat(listIds(carol)).isEmpty();
    }

    // --- visibility -----------------------------------------------------------------------------

    @Test
    void outsiderSeesNeitherTheConversationNorItsHistory() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser eve = clients.user("eve");
        String group = chat.group(alice, bob);
        chat.send(alice, group, "for members only");
        String direct = clients.rest(alice).post("/api/v1/conversations/direct", body("userId", bob.id()))
                .status(201).json().get("id").asString();

        for (String id : List.of(group, direct)) {
            RestApi asEve = clients.rest(eve);
            asEve.get("/api/v1/conversations/" + id).problem(403, "NOT_A_MEMBER");
            asEve.get(messages(id)).problem(403, "NOT_A_MEMBER");
            asEve.get("/api/v1/conversations/" + id + "/catch-up?sinceSeq=0").problem(403, "NOT_A_MEMBER");
            asEve.get(members(id)).problem(403, "NOT_A_MEMBER");
            asEve.post(messages(id), body("clientMessageId", "eve-" + id, "text", "hi")).problem(403, "NOT_A_MEMBER");
        }
        assertThat(chat.storedMessages(group)).isEqualTo(1);
        assertThat(chat.storedMessages(direct)).isZero();
        assertThat(listIds(eve)).isEmpty();
    }

    @Test
    void unknownConversationIsNotFound() {
        TestUser alice = clients.user("alice");
        String unknown = UUID.randomUUID().toString();

        clients.rest(alice).get("/api/v1/conversations/" + unknown).problem(404, "CONVERSATION_NOT_FOUND");
        clients.rest(alice).get(messages(unknown)).problem(404, "CONVERSATION_NOT_FOUND");
        clients.rest(alice).post(messages(unknown), body("clientMessageId", "x-1", "text", "hello?"))
                .problem(404, "CONVERSATION_NOT_FOUND");
        clients.rest(alice).patch("/api/v1/conversations/" + unknown, body("name", "x"))
                .problem(404, "CONVERSATION_NOT_FOUND");
    }

    // --- listing --------------------------------------------------------------------------------

    @Test
    void conversationListPagesByLastActivityWithoutGapsOrRepeats() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser outsider = clients.user("outsider");
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            groups.add(chat.group(alice, bob));
        }
        chat.group(bob, outsider); // not alice's: must not appear in her list
        String direct = clients.rest(bob).post("/api/v1/conversations/direct", body("userId", alice.id()))
                .status(201).json().get("id").asString();
        chat.send(bob, groups.getFirst(), "bringing the oldest group back to the top");

        List<String> expected = new ArrayList<>();
        expected.add(groups.getFirst());
        expected.add(direct);
        expected.addAll(groups.subList(1, groups.size()).reversed());

        List<String> seen = new ArrayList<>();
        List<Instant> activity = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = clients.rest(alice).get("/api/v1/conversations?limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor)).ok().json();
            pageSizes.add(page.get("items").size());
            page.get("items").forEach(item -> {
                seen.add(item.get("id").asString());
                activity.add(Instant.parse(item.get("lastActivityAt").asString()));
            });
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null && pageSizes.size() < 10);

        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(pageSizes).containsExactly(3, 3, 2);
        assertThat(activity).isSortedAccordingTo((a, b) -> b.compareTo(a));
    }

    @Test
    void conversationListReportsEachMembersOwnUnreadCount() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        chat.send(alice, group, "one");
        chat.send(alice, group, "two");

        JsonNode atBob = clients.rest(bob).get("/api/v1/conversations").ok().json().get("items").get(0);
        JsonNode atAlice = clients.rest(alice).get("/api/v1/conversations").ok().json().get("items").get(0);

        assertThat(atBob.get("id").asString()).isEqualTo(group);
        assertThat(atBob.get("lastSeq").asLong()).isEqualTo(2);
        assertThat(atBob.get("unreadCount").asLong()).isEqualTo(2);
        assertThat(atAlice.get("unreadCount").asLong()).as("one's own messages are read").isZero();
    }

    private List<String> listIds(TestUser user) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = clients.rest(user).get("/api/v1/conversations?limit=100"
                    + (cursor == null ? "" : "&cursor=" + cursor)).ok().json();
            page.get("items").forEach(item -> ids.add(item.get("id").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        return ids;
    }

    /** Member id → role, as {@code viewer} sees the member list. */
    private Map<String, String> roles(TestUser viewer, String group) {
        return chat.memberList(viewer, group).stream().collect(Collectors.toMap(
                member -> member.get("userId").asString(), member -> member.get("role").asString()));
    }

    private long directChatsBetween(TestUser one, TestUser other) {
        return jdbc.sql("""
                SELECT count(*) FROM chat.conversation c
                WHERE c.kind = 'DIRECT'
                  AND EXISTS (SELECT 1 FROM chat.member m WHERE m.conversation_id = c.id AND m.user_id = :one)
                  AND EXISTS (SELECT 1 FROM chat.member m WHERE m.conversation_id = c.id AND m.user_id = :other)
                """)
                .param("one", one.id()).param("other", other.id()).query(Long.class).single();
    }

    private long conversationsCreatedBy(TestUser user) {
        return jdbc.sql("SELECT count(*) FROM chat.conversation WHERE created_by = :u").param("u", user.id())
                .query(Long.class).single();
    }

    /**
     * Membership changes and sends touch the same rows: concurrent ones must queue, never
     * deadlock into a 500. Admins add members while the member whose role changes keeps sending.
     */
    @Test
    void concurrentMemberChangesAndSendsNeverDeadlock() throws Exception {
        TestUser owner = clients.user("owner");
        TestUser admin = clients.user("admin");
        TestUser sender = clients.user("sender");
        String group = chat.group(owner, admin, sender);
        chat.promote(owner, group, admin);
        int rounds = 30;
        List<TestUser> newcomers = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            newcomers.add(clients.user("newcomer"));
        }
        List<java.util.concurrent.Callable<List<Integer>>> work = new ArrayList<>();
        for (TestUser by : List.of(owner, admin)) {  // two managers adding at once
            int offset = by == owner ? 0 : 1;
            work.add(() -> {
                List<Integer> statuses = new ArrayList<>();
                for (int i = offset; i < rounds; i += 2) {
                    statuses.add(clients.rest(by).post(members(group), body("userIds", List.of(newcomers.get(i).id())))
                            .status());
                }
                return statuses;
            });
        }
        work.add(() -> {  // the owner keeps changing the sender's role
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                statuses.add(clients.rest(owner).patch(members(group) + "/" + sender.id(),
                        body("role", i % 2 == 0 ? "ADMIN" : "MEMBER")).status());
            }
            return statuses;
        });
        for (String device : List.of("phone", "laptop")) {  // while the sender sends from two devices
            work.add(() -> {
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    statuses.add(clients.rest(sender).post(messages(group),
                            body("clientMessageId", device + "-" + i, "text", "message " + i)).status());
                }
                return statuses;
            });
        }
        ExecutorService threads = Executors.newFixedThreadPool(work.size());
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<List<Integer>> done : threads.invokeAll(work)) {
                statuses.addAll(done.get());
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(statuses).as("no request failed (a deadlock surfaces as 500)").containsOnly(200, 201);
        assertThat(chat.storedMessages(group)).isEqualTo(rounds * 2);
        assertThat(chat.storedLastSeq(group)).isEqualTo(rounds * 2);
        assertThat(chat.conversation(owner, group).get("memberCount").asInt()).isEqualTo(3 + rounds);
    }

    /**
     * The owner hands ownership to carol while an admin removes her. Whichever commits first,
     * the group ends with exactly one owner who is still a member: never none.
     */
    @Test
    void removalRacingAHandOverNeverLeavesTheGroupWithoutAnOwner() throws Exception {
        for (int round = 0; round < 10; round++) {
            TestUser alice = clients.user("alice");
            TestUser bob = clients.user("bob");
            TestUser carol = clients.user("carol");
            String group = chat.group(alice, bob, carol);
            chat.promote(alice, group, bob);
            CyclicBarrier start = new CyclicBarrier(2);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                Future<Integer> handOver = threads.submit(() -> {
                    start.await();
                    return clients.rest(alice).patch(members(group) + "/" + carol.id(), body("role", "OWNER")).status();
                });
                Future<Integer> removal = threads.submit(() -> {
                    start.await();
                    return clients.rest(bob).delete(members(group) + "/" + carol.id()).status();
                });
                assertThat(handOver.get()).isIn(200, 404);
                assertThat(removal.get()).isIn(204, 403);
            } finally {
                threads.shutdownNow();
            }
            List<String> owners = new ArrayList<>();
            clients.rest(alice).get(members(group)).ok().json()
                    .forEach(member -> {
                        if ("OWNER".equals(member.get("role").asString())) {
                            owners.add(member.get("userId").asString());
                        }
                    });
            assertThat(owners).as("owners after round %d", round).hasSize(1);
        }
    }
}
