package io.chorus.support;

import static io.chorus.support.RestApi.body;

import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Bots for tests, made the way an org_admin makes them: through the management API. A bot
 * gets an owner (an employee made for the test, unless given) and one token with the scopes asked for.
 */
public final class TestBots {

    private final TestClients clients;

    public TestBots(TestClients clients) {
        this.clients = clients;
    }

    /** A bot, its owner, and a token (as a ready {@link RestApi}) carrying {@code scopes}. */
    public record TestBot(UUID id, String key, TestUser owner, UUID tokenId, String token, RestApi api) {
    }

    public TestBot bot(String... scopes) {
        return bot(clients.user("owner"), scopes);
    }

    public TestBot bot(TestUser owner, String... scopes) {
        TestUser admin = clients.orgAdmin();
        String key = "bot-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode bot = clients.rest(admin).post("/api/v1/bots", body("key", key, "displayName", "Bot " + key,
                "ownerId", owner.id())).status(201).json();
        UUID id = UUID.fromString(bot.get("id").asString());
        JsonNode issued = clients.rest(owner).post("/api/v1/bots/" + id + "/tokens",
                body("name", "test", "scopes", List.of(scopes))).status(201).json();
        String token = issued.get("token").asString();
        return new TestBot(id, key, owner, UUID.fromString(issued.get("details").get("id").asString()), token,
                clients.rest(token));
    }
}
