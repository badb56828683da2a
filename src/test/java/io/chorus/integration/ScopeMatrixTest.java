package io.chorus.integration;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.TestBots;
import io.chorus.support.TestBots.TestBot;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

/**
 * Every scope enforced: a bot holding one scope may make that scope's requests and none of the
 * others', a bot holding all scopes still may not make requests no scope opens, and what the
 * bot may reach stays bounded by membership and by its owner's rights.
 */
@ChorusIntegrationTest
class ScopeMatrixTest {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @Autowired
    TestClients clients;

    /** One request a bot might make, built for a group the bot is in. */
    private record Call(HttpMethod method, Function<String, String> path, Function<String, Object> body, String scope) {

        String describe(String group) {
            return method + " " + path.apply(group);
        }
    }

    private static final List<Call> SCOPED = List.of(
            new Call(HttpMethod.POST, g -> "/api/v1/conversations/" + g + "/messages",
                    g -> body("clientMessageId", "m-" + SEQUENCE.incrementAndGet(), "text", "hi"), "messages:write"),
            new Call(HttpMethod.POST, g -> "/api/v1/conversations/" + g + "/cards",
                    g -> body("clientMessageId", "c-" + SEQUENCE.incrementAndGet(), "card", body("title", "Card")),
                    "messages:write"),
            new Call(HttpMethod.PUT, g -> "/api/v1/integration/groups/K-" + SEQUENCE.incrementAndGet(),
                    g -> body("name", "Project"), "messages:write"),
            new Call(HttpMethod.GET, g -> "/api/v1/conversations", g -> null, "messages:read"),
            new Call(HttpMethod.GET, g -> "/api/v1/conversations/" + g, g -> null, "messages:read"),
            new Call(HttpMethod.GET, g -> "/api/v1/conversations/" + g + "/messages", g -> null, "messages:read"),
            new Call(HttpMethod.GET, g -> "/api/v1/conversations/" + g + "/members", g -> null, "messages:read"),
            new Call(HttpMethod.GET, g -> "/api/v1/org/departments", g -> null, "org:read"),
            new Call(HttpMethod.GET, g -> "/api/v1/org/users?q=a", g -> null, "org:read"),
            new Call(HttpMethod.GET, g -> "/api/v1/approvals/templates", g -> null, "approvals:read"),
            new Call(HttpMethod.GET, g -> "/api/v1/approvals/instances", g -> null, "approvals:read"));

    /** Requests no scope opens to a token: people's own features, compliance, administration. */
    private static final List<Call> NEVER = List.of(
            new Call(HttpMethod.GET, g -> "/api/v1/search/messages?q=hello", g -> null, null),
            new Call(HttpMethod.GET, g -> "/api/v1/presence", g -> null, null),
            new Call(HttpMethod.POST, g -> "/api/v1/conversations/groups", g -> body("name", "Mine"), null),
            new Call(HttpMethod.POST, g -> "/api/v1/conversations/" + g + "/archive", g -> null, null),
            new Call(HttpMethod.POST, g -> "/api/v1/conversations/" + g + "/members",
                    g -> body("userIds", List.of(UUID.randomUUID())), null),
            new Call(HttpMethod.GET, g -> "/api/v1/audit/events", g -> null, null),
            new Call(HttpMethod.GET, g -> "/api/v1/bots", g -> null, null),
            new Call(HttpMethod.POST, g -> "/api/v1/approvals/instances/" + UUID.randomUUID() + "/withdraw",
                    g -> null, null),
            new Call(HttpMethod.GET, g -> "/api/v1/me", g -> null, null));

    private static final String[] ALL = {"messages:write", "messages:read", "org:read", "approvals:submit",
            "approvals:read", "webhooks:manage"};

    @Test
    void eachScopeOpensItsOwnRequestsAndNoOther() {
        TestUser owner = clients.user("owner");
        TestBots bots = new TestBots(clients);
        List<TestBot> single = Arrays.stream(ALL).map(scope -> bots.bot(owner, scope)).toList();
        String group = groupWith(owner, single.stream().map(TestBot::id).toList());

        List<String> wrong = new ArrayList<>();
        for (Call call : SCOPED) {
            for (int i = 0; i < ALL.length; i++) {
                RestApi.Response answer = call(single.get(i).api(), call, group);
                boolean allowed = ALL[i].equals(call.scope());
                if (allowed != (answer.status() / 100 == 2)) {
                    wrong.add(call.describe(group) + " with " + ALL[i] + " -> " + answer.status() + " " + answer.body());
                }
                if (!allowed && !(answer.status() == 403 && answer.body().contains("\"FORBIDDEN\""))) {
                    wrong.add(call.describe(group) + " with " + ALL[i] + " not refused as FORBIDDEN: " + answer.status());
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void evenEveryScopeDoesNotOpenWhatNoScopeOpens() {
        TestUser owner = clients.user("owner");
        TestBot all = new TestBots(clients).bot(owner, ALL);
        String group = groupWith(owner, List.of(all.id()));

        for (Call call : NEVER) {
            assertThat(call(all.api(), call, group).status()).as(call.describe(group)).isEqualTo(403);
        }
    }

    @Test
    void aBotReadsAndWritesOnlyConversationsItWasAddedTo() {
        TestUser owner = clients.user("owner");
        TestUser other = clients.user("other");
        TestBot bot = new TestBots(clients).bot(owner, ALL);
        String elsewhere = clients.rest(other).post("/api/v1/conversations/groups", body("name", "Private",
                "memberIds", List.of(owner.id()))).status(201).json().get("id").asString();

        assertThat(bot.api().get("/api/v1/conversations/" + elsewhere + "/messages").status()).isIn(403, 404);
        assertThat(bot.api().get("/api/v1/conversations/" + elsewhere).status()).isIn(403, 404);
        assertThat(bot.api().post("/api/v1/conversations/" + elsewhere + "/messages",
                body("clientMessageId", "x", "text", "let me in")).status()).isIn(403, 404);
        assertThat(clients.rest(other).get("/api/v1/conversations/" + elsewhere + "/messages").ok().json()
                .get("items")).isEmpty();
        assertThat(bot.api().get("/api/v1/conversations").ok().json().get("items")).isEmpty();
    }

    @Test
    void aBotsCardCannotMakeMembersClientsCallTheApi() {
        TestUser owner = clients.user("owner");
        TestBot bot = new TestBots(clients).bot(owner, "messages:write", "messages:read");
        String group = groupWith(owner, List.of(bot.id()));
        Map<String, Object> trap = body("title", "View PO", "actions", List.of(body("id", "view", "label", "View",
                "method", "POST", "path", "/api/v1/conversations/" + group + "/archive")));

        bot.api().post("/api/v1/conversations/" + group + "/cards", body("clientMessageId", "trap", "card", trap))
                .problem(400, "VALIDATION_FAILED");
        long posted = bot.api().post("/api/v1/conversations/" + group + "/cards", body("clientMessageId", "fine",
                "card", body("title", "PO"))).status(201).json().get("id").asLong();
        bot.api().exchange(HttpMethod.PUT, "/api/v1/conversations/" + group + "/cards/" + posted, body("card", trap))
                .problem(400, "VALIDATION_FAILED");
        assertThat(bot.api().get("/api/v1/conversations/" + group + "/messages").ok().json().get("items"))
                .singleElement().satisfies(message -> assertThat(message.get("card").get("actions")).isEmpty());
    }

    @Test
    void aBotFilesForOthersOnlyWhenItsOwnerMay() {
        TestUser plainOwner = clients.user("owner");
        TestUser integrationOwner = clients.user("oa-owner", List.of("employee", "integration"));
        TestUser requester = clients.user("requester");
        TestBots bots = new TestBots(clients);
        Map<String, Object> onBehalf = body("templateId", UUID.randomUUID(), "requesterId", requester.id(),
                "form", body());

        bots.bot(plainOwner, "approvals:submit").api().post("/api/v1/approvals/instances", onBehalf)
                .problem(403, "APPROVAL_ON_BEHALF_NOT_ALLOWED");
        // an org_admin may not file for others themselves, so neither may their bot
        bots.bot(clients.orgAdmin(), "approvals:submit").api().post("/api/v1/approvals/instances", onBehalf)
                .problem(403, "APPROVAL_ON_BEHALF_NOT_ALLOWED");
        // past the on-behalf check: the made-up template is what is refused now
        bots.bot(integrationOwner, "approvals:submit").api().post("/api/v1/approvals/instances", onBehalf)
                .problem(404, "APPROVAL_TEMPLATE_NOT_FOUND");
    }

    @Test
    void aServiceAccountIsLimitedByTheClientScopesItsTokenCarries() {
        TestUser account = clients.user("svc-erp", List.of("integration"));
        RestApi scoped = clients.rest(clients.token(account, claims -> claims
                .claim("realm_access", Map.of("roles", List.of("integration")))
                .claim("scope", "profile webhooks:manage email")));
        RestApi unscoped = clients.rest(clients.token(account, claims -> claims
                .claim("realm_access", Map.of("roles", List.of("integration")))
                .claim("scope", "profile email")));
        // a person's token grants no scopes, whatever its scope claim says
        TestUser person = clients.user("person");
        RestApi personWithClaim = clients.rest(clients.token(person, claims -> claims.claim("scope", "webhooks:manage")));

        assertThat(scoped.get("/api/v1/integration/me").ok().json().get("scopes").values().stream()
                .map(node -> node.asString()).toList()).contains("webhooks:manage");
        scoped.get("/api/v1/integration/subscriptions").ok();
        unscoped.get("/api/v1/integration/subscriptions").problem(403, "FORBIDDEN");
        personWithClaim.get("/api/v1/integration/subscriptions").problem(403, "FORBIDDEN");
    }

    private String groupWith(TestUser owner, List<UUID> bots) {
        return clients.rest(owner).post("/api/v1/conversations/groups", body("name", "Matrix", "memberIds", bots))
                .status(201).json().get("id").asString();
    }

    private static RestApi.Response call(RestApi api, Call call, String group) {
        return api.exchange(call.method(), call.path().apply(group), call.body().apply(group));
    }
}
