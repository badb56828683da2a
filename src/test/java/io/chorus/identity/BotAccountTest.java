package io.chorus.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.core.EventSerializer;
import org.springframework.security.core.AuthenticationException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Bot accounts: provisioned by key, usable as a sender, never reachable with a token. */
@ChorusIntegrationTest
class BotAccountTest {

    @Autowired
    UserAccounts accounts;

    @Autowired
    UserDirectory users;

    @Autowired
    TestClients clients;

    @Autowired
    BearerTokenAuthenticator stompAuthenticator;

    @Autowired
    EventSerializer eventSerializer;

    @Autowired
    JdbcClient jdbc;

    @Test
    void provisioningABotTwiceReturnsTheSameAccountAndWritesNothingTheSecondTime() {
        String key = "bot-" + UUID.randomUUID().toString().substring(0, 8);

        UserId first = accounts.provisionBot(key, "Approvals");
        String rowVersion = xmin(first);
        UserId second = accounts.provisionBot(key, "Approvals");

        assertThat(second).isEqualTo(first);
        assertThat(xmin(first)).as("an unchanged bot is not rewritten").isEqualTo(rowVersion);
        assertThat(users.find(first)).hasValueSatisfying(bot -> {
            assertThat(bot.username()).isEqualTo(key);
            assertThat(bot.displayName()).isEqualTo("Approvals");
            assertThat(bot.bot()).isTrue();
            assertThat(bot.active()).isTrue();
            assertThat(bot.email()).isNull();
        });
    }

    @Test
    void aNewDisplayNameRenamesTheSameBot() {
        String key = "bot-" + UUID.randomUUID().toString().substring(0, 8);
        UserId bot = accounts.provisionBot(key, "Approvals");

        assertThat(accounts.provisionBot(key, "审批 Approvals")).isEqualTo(bot);

        assertThat(users.find(bot).orElseThrow().displayName()).isEqualTo("审批 Approvals");
        assertThat(accounts.all()).as("bots are not the directory's accounts")
                .noneMatch(account -> account.id().equals(bot));
    }

    @Test
    void peopleAreNotBots() {
        TestUser person = clients.user("person");

        assertThat(users.find(UserId.of(person.id())).orElseThrow().bot()).isFalse();
        assertThat(accounts.all()).anyMatch(account -> account.id().value().equals(person.id()));
    }

    @Test
    void aTokenWhoseSubjectIsABotsIsRefusedOverRestAndStompAndChangesNothing() {
        UserId approvals = accounts.provisionBot("approvals", "Approvals");
        String displayName = users.find(approvals).orElseThrow().displayName();
        TestUser someone = clients.user("impostor");
        String asTheBot = clients.token(someone, claims -> claims.subject("bot:approvals")
                .claim("preferred_username", "approvals").claim("name", "Hijacked"));

        clients.rest(asTheBot).get("/api/v1/me").problem(401, "UNAUTHENTICATED");
        assertThatThrownBy(() -> stompAuthenticator.authenticate(asTheBot)).isInstanceOf(AuthenticationException.class);

        assertThat(users.find(approvals).orElseThrow().displayName()).isEqualTo(displayName);
        assertThat(subjectsNamed("Hijacked")).isZero();
    }

    @Test
    void aTokenForABotSubjectNoBotHasYetCreatesNoAccount() {
        String key = "bot-" + UUID.randomUUID().toString().substring(0, 8);
        TestUser someone = clients.user("squatter");
        // Were this accepted, the account would be a person's, and a bot provisioned later under that key
        // would find it taken.
        String early = clients.token(someone, claims -> claims.subject("bot:" + key));

        clients.rest(early).get("/api/v1/me").problem(401, "UNAUTHENTICATED");

        assertThat(jdbc.sql("SELECT count(*) FROM identity.user_account WHERE subject = :s").param("s", "bot:" + key)
                .query(Long.class).single()).isZero();
        assertThat(users.find(accounts.provisionBot(key, "Later")).orElseThrow().bot()).isTrue();
    }

    @Test
    void aTokenWhoseAccountIsABotIsRefusedWhateverItsSubject() {
        // The account kind guards too, not only the reserved subject prefix: a bot stored under any
        // subject (an integration bot registered with its own) is out of every token's reach.
        String username = "kindbot-" + UUID.randomUUID().toString().substring(0, 8);
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO identity.user_account (id, subject, username, display_name, kind, created_at, last_seen_at)
                VALUES (:id, :subject, :username, 'Kind Bot', 'BOT', now(), now())
                """).param("id", id).param("subject", "local:" + username).param("username", username).update();
        String token = clients.token(username, "Taken Over", List.of("employee", "org_admin"), Instant.now());

        clients.rest(token).get("/api/v1/me").problem(401, "UNAUTHENTICATED");

        assertThat(users.find(UserId.of(id)).orElseThrow().displayName()).isEqualTo("Kind Bot");
        assertThat(users.activeHolders(Role.ORG_ADMIN)).doesNotContain(UserId.of(id));
    }

    @Test
    void anAccountChangedEventStoredBeforeBotsExistedReadsAsAPerson() {
        var event = new IdentityEvents.UserAccountChanged(UserId.of(UUID.randomUUID()), "old", "Old Timer",
                "old@chorus.local", true, 3, true);
        JsonMapper json = clients.json();
        ObjectNode stored = (ObjectNode) json.readTree(eventSerializer.serialize(event).toString());
        assertThat(stored.has("bot")).isTrue();
        stored.remove("bot");

        var read = eventSerializer.deserialize(json.writeValueAsString(stored), IdentityEvents.UserAccountChanged.class);

        assertThat(read).isEqualTo(new IdentityEvents.UserAccountChanged(event.userId(), "old", "Old Timer",
                "old@chorus.local", true, 3, false));
        assertThat(eventSerializer.deserialize(eventSerializer.serialize(event), IdentityEvents.UserAccountChanged.class))
                .isEqualTo(event);
    }

    @Test
    void aBotKeyIsPlainLowerCaseText() {
        assertThatThrownBy(() -> accounts.provisionBot("Approvals", "Approvals"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> accounts.provisionBot("a:b", "A")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> accounts.provisionBot("ok", " ")).isInstanceOf(IllegalArgumentException.class);
    }

    private String xmin(UserId id) {
        return jdbc.sql("SELECT xmin::text FROM identity.user_account WHERE id = :id").param("id", id.value())
                .query(String.class).single();
    }

    private long subjectsNamed(String displayName) {
        return jdbc.sql("SELECT count(*) FROM identity.user_account WHERE display_name = :n").param("n", displayName)
                .query(Long.class).single();
    }
}
