package io.chorus.integration;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.identity.UserAccounts;
import io.chorus.identity.UserId;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.TestBots;
import io.chorus.support.TestBots.TestBot;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Bots and their tokens through the management API: who may make and see them, a token shown
 * once and stored as a hash, rotation with an overlap, revocation at once, a disabled bot or a
 * deactivated owner stopping every token, and every change in the audit trail.
 */
@ChorusIntegrationTest
class BotManagementTest {

    private static final String ME = "/api/v1/integration/me";

    @Autowired
    TestClients clients;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Test
    void anOrgAdminCreatesABotForAnOwnerWhoManagesItAndNobodyElseSeesIt() {
        TestUser admin = clients.orgAdmin();
        TestUser owner = clients.user("owner");
        TestUser stranger = clients.user("stranger");
        String key = "erp-" + UUID.randomUUID().toString().substring(0, 8);

        clients.rest(owner).post("/api/v1/bots", body("key", key, "displayName", "ERP"))
                .problem(403, "FORBIDDEN");
        JsonNode bot = clients.rest(admin).post("/api/v1/bots", body("key", key, "displayName", "ERP",
                "avatarUrl", "https://erp.example.com/logo.png", "ownerId", owner.id())).status(201).json();
        String path = "/api/v1/bots/" + bot.get("id").asString();

        assertThat(bot.get("ownerId").asString()).isEqualTo(owner.id().toString());
        assertThat(bot.get("disabled").asBoolean()).isFalse();
        assertThat(clients.rest(owner).get("/api/v1/bots").ok().json().get("items")).hasSize(1);
        assertThat(clients.rest(owner).get(path).ok().json().get("key").asString()).isEqualTo(key);
        clients.rest(stranger).get(path).problem(404, "BOT_NOT_FOUND");
        clients.rest(stranger).post(path + "/tokens", body("scopes", List.of("org:read")))
                .problem(404, "BOT_NOT_FOUND");
        assertThat(clients.rest(stranger).get("/api/v1/bots").ok().json().get("items")).isEmpty();
        // the bot is a user others can mention and add
        assertThat(clients.rest(owner).get("/api/v1/org/users/" + bot.get("id").asString()).status()).isIn(200, 404);
    }

    @Test
    void aKeyThatIsAlreadySomeonesNameIsRefused() {
        TestUser admin = clients.orgAdmin();
        TestUser person = clients.user("person");

        // Chorus's own approvals bot may not exist yet as an account: its key is reserved all the same
        clients.rest(admin).post("/api/v1/bots", body("key", "approvals", "displayName", "Not the approvals bot"))
                .problem(409, "BOT_KEY_TAKEN");
        clients.rest(admin).post("/api/v1/bots", body("key", "hook-1234", "displayName", "Not a webhook"))
                .problem(409, "BOT_KEY_TAKEN");
        clients.rest(admin).post("/api/v1/bots", body("key", person.username(), "displayName", "Impostor"))
                .problem(409, "BOT_KEY_TAKEN");
        clients.rest(admin).post("/api/v1/bots", body("key", "Bad Key!", "displayName", "x"))
                .problem(400, "VALIDATION_FAILED");
        clients.rest(admin).post("/api/v1/bots", body("key", "ok-key-" + UUID.randomUUID().toString().substring(0, 6),
                "displayName", "x", "avatarUrl", "javascript:alert(1)")).problem(400, "VALIDATION_FAILED");
        clients.rest(admin).post("/api/v1/bots", body("key", "ok-key-" + UUID.randomUUID().toString().substring(0, 6),
                "displayName", "x", "ownerId", UUID.randomUUID())).problem(422, "BOT_OWNER_INVALID");
    }

    @Test
    void aTokenIsShownOnceStoredHashedAndCarriesOnlyItsScopes() {
        TestBot bot = new TestBots(clients).bot("messages:read", "org:read");

        assertThat(bot.token()).startsWith("chorus_bot_").hasSize("chorus_bot_".length() + 43);
        JsonNode me = bot.api().get(ME).ok().json();
        assertThat(me.get("id").asString()).isEqualTo(bot.id().toString());
        assertThat(me.get("username").asString()).isEqualTo(bot.key());
        assertThat(me.get("tokenId").asString()).isEqualTo(bot.tokenId().toString());
        assertThat(me.get("scopes").values().stream().map(JsonNode::asString).toList())
                .containsExactly("messages:read", "org:read");

        String listing = clients.rest(bot.owner()).get("/api/v1/bots/" + bot.id() + "/tokens").ok().body();
        assertThat(listing).doesNotContain(bot.token()).contains("chorus_bot_" + bot.token().substring(11, 15));
        byte[] stored = jdbc.sql("SELECT secret_hash FROM integration.api_token WHERE id = :id")
                .param("id", bot.tokenId()).query(byte[].class).single();
        assertThat(stored).hasSize(32);
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(bot.token());
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                "SELECT last_used_at IS NOT NULL FROM integration.api_token WHERE id = :id")
                .param("id", bot.tokenId()).query(Boolean.class).single());

        clients.rest(bot.owner()).post("/api/v1/bots/" + bot.id() + "/tokens", body("scopes", List.of("admin:all")))
                .problem(400, "UNKNOWN_SCOPE");
        clients.rest(bot.owner()).post("/api/v1/bots/" + bot.id() + "/tokens", body("scopes", List.of()))
                .problem(400, "UNKNOWN_SCOPE");
        clients.rest("chorus_bot_" + "A".repeat(43)).get(ME).problem(401, "UNAUTHENTICATED");
    }

    @Test
    void aTokenIsNeverKeptForAnIdempotencyKeyNorCached() {
        TestBot bot = new TestBots(clients).bot("org:read");
        RestApi owner = clients.rest(bot.owner());
        String tokens = "/api/v1/bots/" + bot.id() + "/tokens";
        Map<String, String> key = Map.of("Idempotency-Key", "issue-" + UUID.randomUUID());

        RestApi.Response first = owner.exchange(HttpMethod.POST, tokens, body("scopes", List.of("org:read")), key)
                .status(201);
        RestApi.Response again = owner.exchange(HttpMethod.POST, tokens, body("scopes", List.of("org:read")), key)
                .status(201);

        assertThat(first.headers().getFirst("Cache-Control")).isEqualTo("no-store");
        assertThat(again.headers().getFirst("Idempotency-Replayed")).as("not a replay of a stored secret").isNull();
        assertThat(again.json().get("token").asString()).isNotEqualTo(first.json().get("token").asString());
        assertThat(jdbc.sql("SELECT count(*) FROM platform.idempotent_request WHERE key = :key")
                .param("key", key.get("Idempotency-Key")).query(Long.class).single()).isZero();
    }

    @Test
    void aPersonsTokenAndAnEmployeeCannotUseTheIntegrationIdentityEndpoint() {
        clients.rest(clients.user("plain")).get(ME).problem(403, "FORBIDDEN");
    }

    @Test
    void revokingStopsATokenAtOnceAndRotationKeepsTheOldOneOnlyForTheOverlap() {
        TestBot bot = new TestBots(clients).bot("org:read");
        RestApi owner = clients.rest(bot.owner());
        String tokens = "/api/v1/bots/" + bot.id() + "/tokens";

        JsonNode rotated = owner.post(tokens + "/" + bot.tokenId() + "/rotate", null).status(201).json();
        String successor = rotated.get("token").asString();
        assertThat(successor).isNotEqualTo(bot.token());
        clients.rest(successor).get(ME).ok();
        bot.api().get(ME).ok(); // still inside the overlap
        JsonNode old = find(owner.get(tokens).ok().json(), bot.tokenId());
        assertThat(old.get("rotatedTo").asString()).isEqualTo(rotated.get("details").get("id").asString());
        assertThat(Instant.parse(old.get("expiresAt").asString()))
                .isBefore(Instant.now().plus(Duration.ofHours(1)).plusSeconds(60));
        owner.post(tokens + "/" + bot.tokenId() + "/rotate", null).problem(409, "TOKEN_INACTIVE");

        // the overlap ends
        jdbc.sql("UPDATE integration.api_token SET expires_at = now() - interval '1 second' WHERE id = :id")
                .param("id", bot.tokenId()).update();
        bot.api().get(ME).problem(401, "UNAUTHENTICATED");

        UUID successorId = UUID.fromString(rotated.get("details").get("id").asString());
        owner.delete(tokens + "/" + successorId).status(204);
        clients.rest(successor).get(ME).problem(401, "UNAUTHENTICATED");
        owner.delete(tokens + "/" + successorId).status(204);
    }

    @Test
    void aDisabledBotOrADeactivatedOwnerStopsEveryToken() {
        TestBot bot = new TestBots(clients).bot("org:read");
        String path = "/api/v1/bots/" + bot.id();

        clients.rest(bot.owner()).patch(path, body("disabled", true)).ok();
        bot.api().get(ME).problem(401, "UNAUTHENTICATED");
        clients.rest(bot.owner()).patch(path, body("disabled", false)).ok();
        bot.api().get(ME).ok();

        // an org_admin's switch-off is not the owner's to undo
        TestUser admin = clients.orgAdmin();
        clients.rest(admin).patch(path, body("disabled", true)).ok();
        clients.rest(bot.owner()).patch(path, body("disabled", false)).problem(403, "FORBIDDEN");
        bot.api().get(ME).problem(401, "UNAUTHENTICATED");
        clients.rest(admin).patch(path, body("disabled", false)).ok();
        bot.api().get(ME).ok();

        accounts.deactivate(UserId.of(bot.owner().id()));
        bot.api().get(ME).problem(401, "UNAUTHENTICATED");
    }

    @Test
    void everyChangeToABotAndItsTokensIsInTheAuditTrail() {
        TestBot bot = new TestBots(clients).bot("org:read");
        RestApi owner = clients.rest(bot.owner());
        owner.post("/api/v1/bots/" + bot.id() + "/tokens/" + bot.tokenId() + "/rotate", null).status(201);
        owner.delete("/api/v1/bots/" + bot.id() + "/tokens/" + bot.tokenId()).status(204);
        owner.patch("/api/v1/bots/" + bot.id(), body("displayName", "Renamed")).ok();
        TestUser officer = clients.user("officer", List.of("employee", "compliance_officer"));

        List<String> actions = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            actions.clear();
            clients.rest(officer).get("/api/v1/audit/events?limit=100&targetType=BOT&targetId=" + bot.id()).ok()
                    .json().get("items").forEach(entry -> actions.add(entry.get("action").asString()));
            return actions.size() >= 5;
        });
        assertThat(actions).containsExactlyInAnyOrder("bot.created", "bot.token_issued", "bot.token_rotated",
                "bot.token_revoked", "bot.changed");
        String trail = clients.rest(officer).get("/api/v1/audit/events?limit=100&targetType=BOT&targetId=" + bot.id())
                .ok().body();
        assertThat(trail).as("a token never reaches the trail").doesNotContain(bot.token());
    }

    private static JsonNode find(JsonNode list, UUID id) {
        for (JsonNode item : list.get("items")) {
            if (item.get("id").asString().equals(id.toString())) {
                return item;
            }
        }
        throw new AssertionError("no token " + id);
    }
}
