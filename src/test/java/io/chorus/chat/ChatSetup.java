package io.chorus.chat;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The steps chat tests take before the behaviour they are about: groups, messages, history,
 * all through the REST API, each asserting that it succeeded. Counts come straight from the
 * database, so "nothing changed" is checked where it is stored.
 */
final class ChatSetup {

    private final TestClients clients;
    private final JdbcClient jdbc;

    ChatSetup(TestClients clients, JdbcClient jdbc) {
        this.clients = clients;
        this.jdbc = jdbc;
    }

    /** A group owned by {@code owner} with {@code members}; returns its id. */
    String group(TestUser owner, TestUser... members) {
        List<UUID> memberIds = Arrays.stream(members).map(TestUser::id).toList();
        return clients.rest(owner).post("/api/v1/conversations/groups", body("name", "Group of " + owner.username(),
                "memberIds", memberIds)).status(201).json().get("id").asString();
    }

    /** Makes {@code member} an admin of the group; {@code owner} must own it. */
    void promote(TestUser owner, String conversationId, TestUser member) {
        clients.rest(owner).patch(members(conversationId) + "/" + member.id(), body("role", "ADMIN")).ok();
    }

    /** Sends {@code text} with a fresh client message id and returns the stored message. */
    JsonNode send(TestUser sender, String conversationId, String text) {
        return clients.rest(sender).post(messages(conversationId),
                body("clientMessageId", UUID.randomUUID().toString(), "text", text)).status(201).json();
    }

    /** Every message of the conversation as {@code reader} sees it, walking history forward page by page. */
    List<JsonNode> history(TestUser reader, String conversationId) {
        List<JsonNode> all = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = clients.rest(reader).get(messages(conversationId) + "?afterSeq=" + after + "&limit=100")
                    .ok().json();
            page.get("items").forEach(all::add);
            if (!page.get("hasMore").asBoolean()) {
                return all;
            }
            after = all.getLast().get("seq").asLong();
        }
    }

    /** The message with this seq as {@code reader} sees it in the history. */
    JsonNode message(TestUser reader, String conversationId, long seq) {
        JsonNode page = clients.rest(reader).get(messages(conversationId) + "?afterSeq=" + (seq - 1) + "&limit=1")
                .ok().json();
        assertThat(page.get("items").size()).as("messages at seq %d", seq).isEqualTo(1);
        JsonNode message = page.get("items").get(0);
        assertThat(message.get("seq").asLong()).isEqualTo(seq);
        return message;
    }

    /** The conversation as {@code viewer} sees it. */
    JsonNode conversation(TestUser viewer, String conversationId) {
        return clients.rest(viewer).get("/api/v1/conversations/" + conversationId).ok().json();
    }

    /** The conversation's members as {@code viewer} sees them. */
    List<JsonNode> memberList(TestUser viewer, String conversationId) {
        List<JsonNode> all = new ArrayList<>();
        clients.rest(viewer).get(members(conversationId)).ok().json().forEach(all::add);
        return all;
    }

    /** How many messages the database holds for the conversation, whoever may see them. */
    long storedMessages(String conversationId) {
        return jdbc.sql("SELECT count(*) FROM chat.message WHERE conversation_id = :c")
                .param("c", UUID.fromString(conversationId)).query(Long.class).single();
    }

    /** The conversation's last seq as stored. */
    long storedLastSeq(String conversationId) {
        return jdbc.sql("SELECT last_seq FROM chat.conversation WHERE id = :c")
                .param("c", UUID.fromString(conversationId)).query(Long.class).single();
    }

    /** Pretends the message was sent {@code minutes} ago, for rules that depend on a message's age. */
    void age(long messageId, int minutes) {
        int updated = jdbc.sql("UPDATE chat.message SET created_at = now() - make_interval(mins => :minutes) "
                        + "WHERE id = :id")
                .param("minutes", minutes).param("id", messageId).update();
        assertThat(updated).isEqualTo(1);
    }

    static String messages(String conversationId) {
        return "/api/v1/conversations/" + conversationId + "/messages";
    }

    static String members(String conversationId) {
        return "/api/v1/conversations/" + conversationId + "/members";
    }

    /** The ids in a JSON array of UUID strings. */
    static List<UUID> ids(JsonNode array) {
        List<UUID> ids = new ArrayList<>();
        array.forEach(id -> ids.add(UUID.fromString(id.asString())));
        return ids;
    }

    /** True when a JSON property is absent or null (a recalled message's text, say). */
    static boolean absent(JsonNode node, String property) {
        JsonNode value = node.get(property);
        return value == null || value.isNull();
    }
}
