package io.chorus.chat;

import static io.chorus.chat.ChatSetup.members;
import static io.chorus.chat.ChatSetup.messages;
import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Every input is validated at the edge: a bad request gets a problem with a stable code and a
 * message that quotes neither our classes nor the parser, and it changes nothing.
 */
@ChorusIntegrationTest
class BadInputTest {

    @Autowired
    TestClients clients;

    @Autowired
    JdbcClient jdbc;

    ChatSetup chat;
    TestUser alice;
    TestUser bob;
    String group;
    JsonNode first;

    @BeforeEach
    void setUp() {
        chat = new ChatSetup(clients, jdbc);
        alice = clients.user("alice");
        bob = clients.user("bob");
        group = chat.group(alice, bob);
        first = chat.send(alice, group, "the only message");
    }

    @Test
    void malformedJsonIsRefusedAsMalformed() {
        RestApi api = clients.rest(alice);

        api.postRaw(messages(group), "{\"clientMessageId\": \"a-2\", \"text\": ").problem(400, "MALFORMED_REQUEST");
        api.postRaw(messages(group), "not json at all").problem(400, "MALFORMED_REQUEST");
        api.postRaw(messages(group), "[]").problem(400, "MALFORMED_REQUEST");
        api.postRaw(messages(group), "").problem(400, "MALFORMED_REQUEST");

        assertNothingChanged();
    }

    @Test
    void unknownFieldIsNamedWithoutLeakingInternals() {
        RestApi.Response refused = clients.rest(alice).postRaw(messages(group),
                "{\"clientMessageId\": \"a-2\", \"text\": \"hi\", \"colour\": \"red\"}")
                .problem(400, "MALFORMED_REQUEST");

        assertThat(refused.json().get("detail").asString()).contains("colour");
        assertLeaksNothing(refused);
        assertNothingChanged();
    }

    @Test
    void fieldOfTheWrongTypeIsNamedWithoutLeakingInternals() {
        RestApi.Response badReply = clients.rest(alice).postRaw(messages(group),
                "{\"clientMessageId\": \"a-2\", \"text\": \"hi\", \"replyToMessageId\": \"yesterday\"}")
                .problem(400, "MALFORMED_REQUEST");
        RestApi.Response badMember = clients.rest(alice).postRaw("/api/v1/conversations/groups",
                "{\"name\": \"x\", \"memberIds\": [\"" + bob.id() + "\", \"not-a-uuid\"]}")
                .problem(400, "MALFORMED_REQUEST");
        RestApi.Response badRole = clients.rest(alice).exchange(HttpMethod.PATCH, members(group) + "/" + bob.id(),
                "{\"role\": \"KING\"}").problem(400, "MALFORMED_REQUEST");

        assertThat(badReply.json().get("detail").asString()).contains("replyToMessageId");
        assertThat(badMember.json().get("detail").asString()).contains("memberIds[1]");
        assertThat(badRole.json().get("detail").asString()).contains("role");
        for (RestApi.Response refused : List.of(badReply, badMember, badRole)) {
            assertLeaksNothing(refused);
        }
        assertNothingChanged();
        assertThat(chat.memberList(alice, group)).filteredOn(member -> member.get("role").asString().equals("MEMBER"))
                .hasSize(1);
    }

    @Test
    void blankTextIsRefused() {
        clients.rest(alice).post(messages(group), body("clientMessageId", "a-2", "text", "")).problem(400,
                "VALIDATION_FAILED");
        clients.rest(alice).post(messages(group), body("clientMessageId", "a-3", "text", " \n\t ")).problem(400,
                "VALIDATION_FAILED");
        clients.rest(alice).post(messages(group), body("clientMessageId", "a-4")).problem(400, "VALIDATION_FAILED");

        assertNothingChanged();
    }

    @Test
    void textLongerThan4000CharactersIsRefused() {
        clients.rest(alice).post(messages(group), body("clientMessageId", "a-2", "text", "长".repeat(4001)))
                .problem(400, "VALIDATION_FAILED");
        assertNothingChanged();

        JsonNode longest = clients.rest(alice).post(messages(group),
                body("clientMessageId", "a-3", "text", "长".repeat(4000))).status(201).json();
        assertThat(longest.get("text").asString()).hasSize(4000);
    }

    @Test
    void invalidClientMessageIdIsRefused() {
        for (Object invalid : new Object[] {"", "has space", "x".repeat(65), "ümlaut", "a/b"}) {
            clients.rest(alice).post(messages(group), body("clientMessageId", invalid, "text", "hi"))
                    .problem(400, "VALIDATION_FAILED");
        }
        clients.rest(alice).post(messages(group), body("text", "no id")).problem(400, "VALIDATION_FAILED");

        assertNothingChanged();
    }

    @Test
    void blankEditIsRefusedAndKeepsTheText() {
        long id = first.get("id").asLong();

        clients.rest(alice).patch(messages(group) + "/" + id, body("text", "   ")).problem(400, "VALIDATION_FAILED");
        clients.rest(alice).patch(messages(group) + "/" + id, body("text", "x".repeat(4001)))
                .problem(400, "VALIDATION_FAILED");
        clients.rest(alice).patch(messages(group) + "/" + id, body()).problem(400, "VALIDATION_FAILED");

        JsonNode unchanged = chat.message(bob, group, 1);
        assertThat(unchanged.get("text").asString()).isEqualTo("the only message");
        assertThat(unchanged.get("version").asInt()).isEqualTo(1);
    }

    @Test
    void invalidIdsInThePathAreRefused() {
        RestApi api = clients.rest(alice);

        api.get("/api/v1/conversations/not-a-uuid").problem(400, "VALIDATION_FAILED");
        api.get("/api/v1/conversations/not-a-uuid/messages").problem(400, "VALIDATION_FAILED");
        api.post("/api/v1/conversations/not-a-uuid/messages", body("clientMessageId", "a-2", "text", "hi"))
                .problem(400, "VALIDATION_FAILED");
        api.patch(messages(group) + "/first", body("text", "edited")).problem(400, "VALIDATION_FAILED");
        api.delete(members(group) + "/42").problem(400, "VALIDATION_FAILED");

        assertNothingChanged();
        assertThat(chat.memberList(alice, group)).hasSize(2);
    }

    @Test
    void pageSizeOutsideOneToOneHundredIsRefused() {
        RestApi api = clients.rest(alice);

        for (String limit : List.of("0", "-1", "101", "1000")) {
            api.get(messages(group) + "?limit=" + limit).problem(400, "VALIDATION_FAILED");
            api.get("/api/v1/conversations/" + group + "/catch-up?sinceSeq=0&limit=" + limit)
                    .problem(400, "VALIDATION_FAILED");
            api.get("/api/v1/conversations?limit=" + limit).problem(400, "VALIDATION_FAILED");
        }
        api.get(messages(group) + "?limit=many").problem(400, "VALIDATION_FAILED");
        api.get(messages(group) + "?limit=100").ok();
        api.get(messages(group) + "?limit=1").ok();
    }

    @Test
    void invalidPagingPositionsAreRefused() {
        RestApi api = clients.rest(alice);

        api.get(messages(group) + "?beforeSeq=-1").problem(400, "VALIDATION_FAILED");
        api.get(messages(group) + "?afterSeq=-1").problem(400, "VALIDATION_FAILED");
        api.get(messages(group) + "?beforeSeq=5&afterSeq=1").problem(400, "VALIDATION_FAILED");
        api.get("/api/v1/conversations/" + group + "/catch-up?sinceSeq=-1").problem(400, "VALIDATION_FAILED");
        api.get("/api/v1/conversations?cursor=bm90LWEtY3Vyc29y").problem(400, "VALIDATION_FAILED");
        api.get("/api/v1/conversations?cursor=%%%").problem(400, "VALIDATION_FAILED");
    }

    @Test
    void negativeReadPositionIsRefusedAndMovesNothing() {
        clients.rest(bob).post("/api/v1/conversations/" + group + "/read", body("seq", -1))
                .problem(400, "VALIDATION_FAILED");
        clients.rest(bob).post("/api/v1/conversations/" + group + "/read", body()).problem(400, "VALIDATION_FAILED");

        assertThat(chat.conversation(bob, group).get("readSeq").asLong()).isZero();
    }

    @Test
    void invalidGroupRequestsCreateNothing() {
        RestApi api = clients.rest(bob);

        api.post("/api/v1/conversations/groups", body("name", "   ", "memberIds", List.of(alice.id())))
                .problem(400, "VALIDATION_FAILED");
        api.post("/api/v1/conversations/groups", body("name", "x".repeat(101), "memberIds", List.of(alice.id())))
                .problem(400, "VALIDATION_FAILED");
        api.post("/api/v1/conversations/groups", body("name", "No members field")).problem(400, "VALIDATION_FAILED");
        api.post("/api/v1/conversations/direct", body()).problem(400, "VALIDATION_FAILED");
        api.patch("/api/v1/conversations/" + group, body("name", "")).problem(400, "VALIDATION_FAILED");
        api.post(members(group), body("userIds", List.of())).problem(400, "VALIDATION_FAILED");

        assertThat(jdbc.sql("SELECT count(*) FROM chat.conversation WHERE created_by = :u").param("u", bob.id())
                .query(Long.class).single()).isZero();
        assertThat(chat.conversation(alice, group).get("name").asString()).isEqualTo("Group of " + alice.username());
    }

    @Test
    void unsupportedMethodIsAProblemToo() {
        clients.rest(alice).delete("/api/v1/conversations/" + group).problem(405, "METHOD_NOT_ALLOWED");
        assertThat(chat.conversation(alice, group).get("id").asString()).isEqualTo(group);
    }

    @Test
    void unknownMessageIsNotFound() {
        clients.rest(alice).patch(messages(group) + "/" + Long.MAX_VALUE, body("text", "x"))
                .problem(404, "MESSAGE_NOT_FOUND");
        clients.rest(alice).get(messages(group) + "/" + Long.MAX_VALUE + "/reads").problem(404, "MESSAGE_NOT_FOUND");
        clients.rest(alice).put(messages(group) + "/" + Long.MAX_VALUE + "/reactions/👍")
                .problem(404, "MESSAGE_NOT_FOUND");
        clients.rest(alice).get(messages(group) + "/99999999999999999999/reads").problem(400, "VALIDATION_FAILED");
        assertNothingChanged();
    }

    /** The conversation still holds just the message sent in {@link #setUp()}, unchanged. */
    private void assertNothingChanged() {
        assertThat(chat.storedMessages(group)).isEqualTo(1);
        assertThat(chat.storedLastSeq(group)).isEqualTo(1);
        JsonNode page = clients.rest(bob).get(messages(group)).ok().json();
        assertThat(page.get("lastSeq").asLong()).isEqualTo(1);
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.get("items").get(0).get("text").asString()).isEqualTo("the only message");
        assertThat(page.get("items").get(0).get("version").asInt()).isEqualTo(1);
    }

    /** No class, package or parser wording in any part of the problem. */
    private static void assertLeaksNothing(RestApi.Response refused) {
        assertThat(refused.body()).doesNotContain("io.chorus", "java.", "tools.jackson", "com.fasterxml", "Exception",
                "SendMessageRequest", "CreateGroupRequest", "ChangeRoleRequest", "MemberRole", "Long", "UUID",
                "line:", "column:", "Source:");
    }
}
