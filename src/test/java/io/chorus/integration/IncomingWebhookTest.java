package io.chorus.integration;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.chat.ChatProblems;
import io.chorus.integration.internal.WebhookSignatures;
import io.chorus.support.AdjustableClock;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.StompTestClient;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.bean.override.convention.TestBean;
import tools.jackson.databind.JsonNode;

/**
 * Incoming webhooks end to end: a group admin makes one, an outside system posts to its URL (no
 * bearer token) with the path secret or a Standard Webhooks signature, and the members see the
 * bot's message in the history and live.
 */
@ChorusIntegrationTest
class IncomingWebhookTest {

    @TestBean(name = "clock", methodName = "io.chorus.support.AdjustableClock#standIn")
    Clock clock;

    @Autowired
    TestClients clients;

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void resetClock() {
        ((AdjustableClock) clock).reset();
    }

    /** A made hook as the test uses it: where to post, and with what. */
    private record Hook(String conversationId, String id, String path, String signedPath, String signingSecret,
            String botId, JsonNode created) {
    }

    // ------------------------------------------------------------------ posting

    @Test
    void aPostToTheUrlWithItsSecretAppearsInTheGroupAsTheHooksBotLiveAndInHistory() {
        TestUser owner = clients.user("owner");
        TestUser member = clients.user("member");
        String group = group(owner, member);
        Hook hook = hook(owner, group, "CI");

        assertThat(hook.created().get("url").asString()).startsWith("http://localhost:")
                .endsWith(hook.path());
        assertThat(hook.signingSecret()).startsWith("whsec_");
        try (StompTestClient live = clients.stomp(member)) {
            JsonNode posted = clients.anonymous().exchange(HttpMethod.POST, hook.path(),
                    "{\"text\": \"Build 42 passed\"}", Map.of()).status(201).json();
            assertThat(posted.get("conversationId").asString()).isEqualTo(group);

            JsonNode event = live.awaitEvent("message.posted").get("message");
            assertThat(event.get("id").asLong()).isEqualTo(posted.get("messageId").asLong());
            assertThat(event.get("senderId").asString()).isEqualTo(hook.botId());
            assertThat(event.get("text").asString()).isEqualTo("Build 42 passed");
            List<JsonNode> history = messages(member, group);
            assertThat(history).hasSize(1);
            assertThat(history.getFirst().get("seq").asLong()).isEqualTo(posted.get("seq").asLong());
            assertThat(history.getFirst().get("senderId").asString()).isEqualTo(hook.botId());
        }
        JsonNode bot = memberList(member, group).stream()
                .filter(m -> m.get("userId").asString().equals(hook.botId())).findFirst().orElseThrow();
        assertThat(bot.get("displayName").asString()).isEqualTo("CI");
    }

    @Test
    void aSignedPostOfACardIsPostedAndItsRedeliveryAfterTheReplayWindowPostsNothingNew() {
        TestUser owner = clients.user("owner");
        String group = group(owner);
        Hook hook = hook(owner, group, "Monitoring");
        String card = """
                {"card": {"title": "Disk almost full", "status": "Warning",
                          "fields": [{"label": "Host", "value": "db-1"}]}}""";

        JsonNode first = signed(hook, "msg_card_1", card, now()).status(201).json();
        JsonNode stored = messages(owner, group).getFirst();
        assertThat(stored.get("kind").asString()).isEqualTo("CARD");
        assertThat(stored.at("/card/title").asString()).isEqualTo("Disk almost full");
        assertThat(stored.get("id").asLong()).isEqualTo(first.get("messageId").asLong());

        // The sender retries much later (the seen-id is forgotten): chat's client message id answers.
        forgetSightings();
        JsonNode again = signed(hook, "msg_card_1", card, now()).status(200).json();
        assertThat(again.get("messageId").asLong()).isEqualTo(first.get("messageId").asLong());
        assertThat(messages(owner, group)).hasSize(1);
    }

    @Test
    void aWrongSecretAndAnUnknownHookGetTheSameNotFound() {
        TestUser owner = clients.user("owner");
        String group = group(owner);
        Hook hook = hook(owner, group, "CI");
        String text = "{\"text\": \"hello\"}";

        RestApi.Response wrong = clients.anonymous().exchange(HttpMethod.POST, hook.signedPath() + "/not-the-secret",
                text, Map.of()).problem(404, IntegrationProblems.WEBHOOK_NOT_FOUND);
        RestApi.Response unknown = clients.anonymous().exchange(HttpMethod.POST,
                "/api/v1/hooks/" + UUID.randomUUID() + "/" + hook.path().substring(hook.path().lastIndexOf('/') + 1),
                text, Map.of()).problem(404, IntegrationProblems.WEBHOOK_NOT_FOUND);
        assertThat(wrong.json().get("detail")).isEqualTo(unknown.json().get("detail"));
        signed(hook, "msg_1", text, now(), WebhookSignatures.newSecret())
                .problem(401, IntegrationProblems.WEBHOOK_SIGNATURE_INVALID);
        clients.anonymous().exchange(HttpMethod.POST, hook.signedPath(), text, Map.of())
                .problem(401, IntegrationProblems.WEBHOOK_SIGNATURE_INVALID);
        assertThat(messages(owner, group)).isEmpty();
    }

    @Test
    void aTimestampMoreThanFiveMinutesOffIsRefusedEitherWay() {
        TestUser owner = clients.user("owner");
        String group = group(owner);
        Hook hook = hook(owner, group, "CI");
        String text = "{\"text\": \"late\"}";

        signed(hook, "msg_old", text, now().minus(Duration.ofMinutes(6)))
                .problem(401, IntegrationProblems.WEBHOOK_TIMESTAMP_STALE);
        signed(hook, "msg_future", text, now().plus(Duration.ofMinutes(6)))
                .problem(401, IntegrationProblems.WEBHOOK_TIMESTAMP_STALE);
        assertThat(messages(owner, group)).isEmpty();
        signed(hook, "msg_recent", text, now().minus(Duration.ofMinutes(4))).status(201);
    }

    @Test
    void aReplayedWebhookIdIsRefusedAndPostsOnce() {
        TestUser owner = clients.user("owner");
        String group = group(owner);
        Hook hook = hook(owner, group, "CI");
        String text = "{\"text\": \"deployed\"}";
        Instant at = now();

        signed(hook, "msg_replay", text, at).status(201);
        signed(hook, "msg_replay", text, at).problem(409, IntegrationProblems.WEBHOOK_REPLAYED);
        signed(hook, "msg_replay", text, at.plusSeconds(30)).problem(409, IntegrationProblems.WEBHOOK_REPLAYED);
        assertThat(messages(owner, group)).hasSize(1);
    }

    @Test
    void afterARotationThePreviousSecretsWorkDuringTheOverlapAndNotAfter() {
        TestUser owner = clients.user("owner");
        String group = group(owner);
        Hook before = hook(owner, group, "CI");
        JsonNode rotated = clients.rest(owner).post(hooks(group) + "/" + before.id() + "/rotate", null).ok().json();
        String newPath = URI.create(rotated.get("url").asString()).getPath();
        String newSecret = rotated.get("signingSecret").asString();
        assertThat(newSecret).isNotEqualTo(before.signingSecret());
        assertThat(newPath).isNotEqualTo(before.path());
        assertThat(rotated.at("/hook/previousValidUntil").isNull()).isFalse();

        signed(before, "msg_old_secret", "{\"text\": \"one\"}", now()).status(201);
        post(before.path(), "{\"text\": \"two\"}").status(201);
        signed(before, "msg_new_secret", "{\"text\": \"three\"}", now(), newSecret).status(201);

        ((AdjustableClock) clock).advance(Duration.ofHours(24).plusMinutes(1));
        signed(before, "msg_old_secret_late", "{\"text\": \"four\"}", now())
                .problem(401, IntegrationProblems.WEBHOOK_SIGNATURE_INVALID);
        post(before.path(), "{\"text\": \"five\"}").problem(404, IntegrationProblems.WEBHOOK_NOT_FOUND);
        signed(before, "msg_new_secret_late", "{\"text\": \"six\"}", now(), newSecret).status(201);
        post(newPath, "{\"text\": \"seven\"}").status(201);
        assertThat(messages(owner, group)).extracting(m -> m.get("text").asString())
                .containsExactly("one", "two", "three", "six", "seven");
    }

    @Test
    void anOversizedBodyIsRefusedAndPostsNothing() {
        TestUser owner = clients.user("owner");
        String group = group(owner);
        Hook hook = hook(owner, group, "CI");
        String huge = "{\"text\": \"" + "x".repeat(70 * 1024) + "\"}";

        post(hook.path(), huge).problem(413, IntegrationProblems.PAYLOAD_TOO_LARGE);
        signed(hook, "msg_huge", huge, now()).problem(413, IntegrationProblems.PAYLOAD_TOO_LARGE);
        assertThat(messages(owner, group)).isEmpty();
    }

    @Test
    void aBodyWithoutTextOrCardOrWithBothIsRefused() {
        TestUser owner = clients.user("owner");
        String group = group(owner);
        Hook hook = hook(owner, group, "CI");

        post(hook.path(), "{}").problem(400, "VALIDATION_FAILED");
        post(hook.path(), "{\"text\": \"a\", \"card\": {\"title\": \"b\"}}").problem(400, "VALIDATION_FAILED");
        post(hook.path(), "{\"txt\": \"a\"}").problem(400, "MALFORMED_REQUEST");
        post(hook.path(), "{\"card\": {\"title\": \"\"}}").problem(400, "VALIDATION_FAILED");
        post(hook.path(), "{\"card\": {\"title\": \"Deploy?\", \"actions\": [{\"id\": \"go\", \"label\": \"Go\"}]}}")
                .problem(400, "VALIDATION_FAILED");
        clients.anonymous().exchange(HttpMethod.POST, hook.path(), null, Map.of("Content-Type", "text/plain"))
                .problem(415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(messages(owner, group)).isEmpty();
    }

    @Test
    void aSignedDeliveryChatRefusesDoesNotBurnItsWebhookId() {
        TestUser owner = clients.user("owner");
        String group = group(owner);
        Hook hook = hook(owner, group, "CI");

        // Chat refuses @all from a plain member (the bot) after the webhook-id was recorded.
        signed(hook, "msg_fixed", "{\"text\": \"@all deploy now\"}", now())
                .problem(403, ChatProblems.MENTION_ALL_NOT_ALLOWED);
        signed(hook, "msg_fixed", "{\"text\": \"deploy now\"}", now()).status(201);
        assertThat(messages(owner, group)).extracting(m -> m.get("text").asString()).containsExactly("deploy now");
    }

    @Test
    void anArchivedGroupRefusesPosts() {
        TestUser owner = clients.user("owner");
        String group = group(owner);
        Hook hook = hook(owner, group, "CI");
        clients.rest(owner).post("/api/v1/conversations/" + group + "/archive", null).ok();

        post(hook.path(), "{\"text\": \"too late\"}").problem(409, ChatProblems.CONVERSATION_ARCHIVED);
        signed(hook, "msg_archived", "{\"text\": \"too late\"}", now())
                .problem(409, ChatProblems.CONVERSATION_ARCHIVED);
        assertThat(messages(owner, group)).isEmpty();
    }

    @Test
    void aDeletedHooksUrlIsGoneAndItsBotHasLeft() {
        TestUser owner = clients.user("owner");
        String group = group(owner);
        Hook hook = hook(owner, group, "CI");

        clients.rest(owner).delete(hooks(group) + "/" + hook.id()).status(204);
        post(hook.path(), "{\"text\": \"hello\"}").problem(404, IntegrationProblems.WEBHOOK_NOT_FOUND);
        signed(hook, "msg_deleted", "{\"text\": \"hello\"}", now()).problem(404, IntegrationProblems.WEBHOOK_NOT_FOUND);
        assertThat(memberList(owner, group)).noneMatch(m -> m.get("userId").asString().equals(hook.botId()));
        assertThat(clients.rest(owner).get(hooks(group)).ok().json().get("items")).isEmpty();
        clients.rest(owner).delete(hooks(group) + "/" + hook.id()).problem(404, IntegrationProblems.WEBHOOK_NOT_FOUND);
        assertThat(audited(hook.id())).containsExactlyInAnyOrder("incoming_webhook.created", "incoming_webhook.deleted");
    }

    // ------------------------------------------------------------------ managing

    @Test
    void onlyTheGroupsOwnerAndAdminsManageItsHooksAndListsNeverShowSecrets() {
        TestUser owner = clients.user("owner");
        TestUser admin = clients.user("admin");
        TestUser member = clients.user("member");
        TestUser outsider = clients.user("outsider");
        String group = group(owner, admin, member);
        clients.rest(owner).patch("/api/v1/conversations/" + group + "/members/" + admin.id(), body("role", "ADMIN"))
                .ok();

        clients.rest(member).post(hooks(group), body("name", "CI")).problem(403, ChatProblems.NOT_ALLOWED);
        clients.rest(outsider).post(hooks(group), body("name", "CI")).problem(403, ChatProblems.NOT_A_MEMBER);
        clients.rest(member).get(hooks(group)).problem(403, ChatProblems.NOT_ALLOWED);
        Hook hook = hook(admin, group, "CI");
        clients.rest(member).post(hooks(group) + "/" + hook.id() + "/rotate", null).problem(403, ChatProblems.NOT_ALLOWED);
        clients.rest(member).delete(hooks(group) + "/" + hook.id()).problem(403, ChatProblems.NOT_ALLOWED);

        JsonNode listed = clients.rest(owner).get(hooks(group)).ok().json().get("items");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("id").asString()).isEqualTo(hook.id());
        assertThat(listed.get(0).has("signingSecret")).isFalse();
        assertThat(listed.get(0).has("url")).isFalse();
        clients.rest(owner).post(hooks(group), body("name", " ")).problem(400, "VALIDATION_FAILED");
        clients.rest(owner).post(hooks(group), body("name", "CI", "avatarUrl", "http://example.com/a.png"))
                .problem(400, "VALIDATION_FAILED");
    }

    @Test
    void aDirectChatOrAnArchivedGroupTakesNoHook() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String direct = clients.rest(alice).post("/api/v1/conversations/direct", body("userId", bob.id()))
                .status(201).json().get("id").asString();
        clients.rest(alice).post(hooks(direct), body("name", "CI")).problem(422, ChatProblems.NOT_A_GROUP);

        String group = group(alice);
        clients.rest(alice).post("/api/v1/conversations/" + group + "/archive", null).ok();
        clients.rest(alice).post(hooks(group), body("name", "CI")).problem(409, ChatProblems.CONVERSATION_ARCHIVED);
    }

    @Test
    void botTokensCannotManageHooks() {
        TestUser owner = clients.user("owner");
        String group = group(owner);
        var bot = new io.chorus.support.TestBots(clients).bot("messages:write", "messages:read", "webhooks:manage");
        bot.api().post(hooks(group), body("name", "CI")).problem(403, "FORBIDDEN");
    }

    // ------------------------------------------------------------------ helpers

    private String group(TestUser owner, TestUser... members) {
        List<UUID> ids = new ArrayList<>();
        for (TestUser member : members) {
            ids.add(member.id());
        }
        return clients.rest(owner).post("/api/v1/conversations/groups", body("name", "Hooks of " + owner.username(),
                "memberIds", ids)).status(201).json().get("id").asString();
    }

    private Hook hook(TestUser admin, String group, String name) {
        JsonNode created = clients.rest(admin).post(hooks(group), body("name", name)).status(201).json();
        return new Hook(group, created.at("/hook/id").asString(), URI.create(created.get("url").asString()).getPath(),
                URI.create(created.get("signedUrl").asString()).getPath(), created.get("signingSecret").asString(),
                created.at("/hook/botId").asString(), created);
    }

    private static String hooks(String group) {
        return "/api/v1/conversations/" + group + "/incoming-webhooks";
    }

    private RestApi.Response post(String path, String json) {
        return clients.anonymous().exchange(HttpMethod.POST, path, json, Map.of());
    }

    private RestApi.Response signed(Hook hook, String id, String json, Instant at) {
        return signed(hook, id, json, at, hook.signingSecret());
    }

    private RestApi.Response signed(Hook hook, String id, String json, Instant at, String secret) {
        Map<String, String> headers = new HashMap<>(
                WebhookSignatures.headers(secret, id, at, json.getBytes(StandardCharsets.UTF_8)));
        return clients.anonymous().exchange(HttpMethod.POST, hook.signedPath(), json, headers);
    }

    private Instant now() {
        return clock.instant();
    }

    private List<JsonNode> messages(TestUser reader, String group) {
        List<JsonNode> all = new ArrayList<>();
        clients.rest(reader).get("/api/v1/conversations/" + group + "/messages?afterSeq=0&limit=100").ok().json()
                .get("items").forEach(all::add);
        return all;
    }

    private List<JsonNode> memberList(TestUser viewer, String group) {
        List<JsonNode> all = new ArrayList<>();
        clients.rest(viewer).get("/api/v1/conversations/" + group + "/members").ok().json().forEach(all::add);
        return all;
    }

    /** Sightings are forgotten after twice the tolerance; the test forgets them now. */
    private void forgetSightings() {
        jdbc.sql("DELETE FROM integration.incoming_webhook_seen").update();
    }

    private List<String> audited(String hookId) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                        "SELECT action FROM audit.entry WHERE target_type = 'INCOMING_WEBHOOK' AND target_id = :id")
                .param("id", hookId).query(String.class).list(), actions -> actions.size() >= 2);
    }
}
