package io.chorus.chat;

import static io.chorus.chat.ChatSetup.messages;
import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chorus.chat.ChatEvents.MessagesPurged;
import io.chorus.chat.ChatEvents.RetentionPolicyChanged;
import io.chorus.identity.UserId;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import tools.jackson.databind.JsonNode;

/**
 * Retention purges erase the content of expired messages and nothing else. Other tests share
 * the database, so the global period stays "forever" except inside a test that restores it,
 * and tests of the global period age their messages by about a century, which no other test's
 * messages reach.
 */
@ChorusIntegrationTest
@RecordApplicationEvents
class RetentionTest {

    /** The global period of tests that set one: no other test's messages are anywhere near as old. */
    private static final int GLOBAL = 36_000;
    private static final int LONGEST = MessageRetention.MAX_DAYS;

    @Autowired
    TestClients clients;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MessageRetention retention;

    @Autowired
    DataSource dataSource;

    @Autowired
    ApplicationEvents events;

    ChatSetup chat;
    RetentionSetup setup;
    TestUser admin;

    @BeforeEach
    void setUp() {
        chat = new ChatSetup(clients, jdbc);
        setup = new RetentionSetup(clients, jdbc);
        admin = setup.orgAdmin();
    }

    @AfterEach
    void keepForeverForEveryoneElse() {
        setup.keepForever();
    }

    // --- what a purge erases ------------------------------------------------------------------------

    @Test
    void purgeErasesOnlyExpiredContentAndKeepsRowsSeqsAndNewerMessages() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        long edited = chat.send(alice, group, "first draft").get("id").asLong();
        clients.rest(alice).patch(messages(group) + "/" + edited, body("text", "second draft")).ok();
        long reacted = chat.send(bob, group, "an old secret").get("id").asLong();
        clients.rest(alice).put(messages(group) + "/" + reacted + "/reactions/👍").ok();
        long recent = chat.send(alice, group, "still fresh").get("id").asLong();
        clients.rest(bob).put(messages(group) + "/" + recent + "/reactions/🎉").ok();
        setup.override(admin, group, 30);
        setup.ageDays(edited, 31);
        setup.ageDays(reacted, 45);
        setup.ageDays(recent, 29);

        retention.purgeExpired();

        RetentionSetup.Stored erased = setup.stored(edited);
        assertThat(erased.purged()).isTrue();
        assertThat(erased.body()).isEmpty();
        assertThat(erased.revisions()).as("the edit's earlier text is gone too").isZero();
        assertThat(setup.stored(reacted).reactions()).as("reactions of a purged message").isZero();
        assertThat(setup.stored(reacted).body()).isEmpty();
        RetentionSetup.Stored kept = setup.stored(recent);
        assertThat(kept.purged()).isFalse();
        assertThat(kept.body()).isEqualTo("still fresh");
        assertThat(kept.reactions()).isEqualTo(1);
        assertThat(chat.storedMessages(group)).as("rows stay").isEqualTo(3);
        assertThat(chat.storedLastSeq(group)).isEqualTo(3);
        assertThat(chat.history(bob, group)).extracting(m -> m.get("seq").asLong()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void membersSeePurgedMessagesAsPurgedInHistoryCatchUpAndReplies() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        JsonNode old = chat.send(alice, group, "too old to keep");
        long oldId = old.get("id").asLong();
        JsonNode reply = clients.rest(bob).post(messages(group), body("clientMessageId", UUID.randomUUID().toString(),
                "text", "replying", "replyToMessageId", oldId)).status(201).json();
        long seenUpTo = chat.storedLastSeq(group);
        setup.override(admin, group, 30);
        setup.ageDays(oldId, 31);

        retention.purgeExpired();

        JsonNode purged = chat.message(bob, group, 1);
        assertThat(purged.get("purged").asBoolean()).isTrue();
        assertThat(ChatSetup.absent(purged, "text")).isTrue();
        assertThat(purged.get("recalled").asBoolean()).isFalse();
        assertThat(purged.get("version").asInt()).as("clients holding the old state can tell").isGreaterThan(
                old.get("version").asInt());
        assertThat(purged.get("senderId").asString()).isEqualTo(alice.id().toString());
        JsonNode quoting = chat.message(bob, group, 2);
        assertThat(quoting.get("purged").asBoolean()).isFalse();
        assertThat(quoting.get("text").asString()).isEqualTo("replying");
        assertThat(ChatSetup.absent(quoting.get("replyTo"), "text")).as("a purged quote shows no text").isTrue();
        assertThat(quoting.get("id").asLong()).isEqualTo(reply.get("id").asLong());
        JsonNode caughtUp = clients.rest(bob).get("/api/v1/conversations/" + group + "/catch-up?sinceSeq=" + seenUpTo)
                .ok().json();
        assertThat(caughtUp.get("items")).as("a client that saw everything learns of the purge")
                .anySatisfy(item -> {
                    assertThat(item.get("id").asLong()).isEqualTo(oldId);
                    assertThat(item.get("purged").asBoolean()).isTrue();
                });
    }

    @Test
    void purgedMessagesTakeNoEditsRecallsOrReactions() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        long old = chat.send(alice, group, "gone soon").get("id").asLong();
        setup.override(admin, group, 30);
        setup.ageDays(old, 31);
        retention.purgeExpired();
        int version = setup.stored(old).version();

        clients.rest(alice).patch(messages(group) + "/" + old, body("text", "back again"))
                .problem(409, ChatProblems.MESSAGE_PURGED);
        clients.rest(alice).post(messages(group) + "/" + old + "/recall", null)
                .problem(409, ChatProblems.MESSAGE_PURGED);
        clients.rest(bob).put(messages(group) + "/" + old + "/reactions/👍").problem(409, ChatProblems.MESSAGE_PURGED);

        RetentionSetup.Stored stored = setup.stored(old);
        assertThat(stored.body()).isEmpty();
        assertThat(stored.revisions()).isZero();
        assertThat(stored.reactions()).isZero();
        assertThat(stored.version()).isEqualTo(version);
    }

    // --- which period applies -----------------------------------------------------------------------

    @Test
    void aConversationsOwnPeriodWinsOverTheGlobalOneBothWays() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String shorter = chat.group(alice, bob);
        String longer = chat.group(alice, bob);
        String following = chat.group(alice, bob);
        long inShorter = chat.send(alice, shorter, "short-lived").get("id").asLong();
        long inLonger = chat.send(alice, longer, "long-lived").get("id").asLong();
        long inFollowing = chat.send(alice, following, "by the book").get("id").asLong();
        long youngInFollowing = chat.send(alice, following, "young").get("id").asLong();
        setGlobal(GLOBAL);
        setup.override(admin, shorter, 30);
        setup.override(admin, longer, LONGEST);
        setup.ageDays(inShorter, 31);
        setup.ageDays(inLonger, GLOBAL + 200);
        setup.ageDays(inFollowing, GLOBAL + 200);
        setup.ageDays(youngInFollowing, GLOBAL - 1);

        retention.purgeExpired();

        assertThat(setup.purged(inShorter)).as("30-day override, 31 days old").isTrue();
        assertThat(setup.purged(inLonger)).as("override longer than the global period").isFalse();
        assertThat(setup.purged(inFollowing)).as("no override: the global period").isTrue();
        assertThat(setup.purged(youngInFollowing)).isFalse();
    }

    @Test
    void keepingForeverPurgesNothingAndAClearedOverrideFollowsTheGlobalPeriodAgain() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        long ancient = chat.send(alice, group, "from long ago").get("id").asLong();
        setup.ageDays(ancient, LONGEST * 2);
        setup.override(admin, group, LONGEST);
        assertThat(setup.purged(ancient)).isFalse();

        clients.rest(admin).delete("/api/v1/retention/conversations/" + group).status(204);
        retention.purgeExpired();

        assertThat(clients.rest(admin).get("/api/v1/retention").ok().json().get("messageRetentionDays").isNull())
                .isTrue();
        assertThat(setup.stored(ancient).purged()).as("global: keep forever").isFalse();
        assertThat(setup.stored(ancient).body()).isEqualTo("from long ago");
    }

    // --- batches and their events --------------------------------------------------------------------

    @Test
    void batchesSmallerThanTheBacklogPurgeItAllWithOneEventPerConversationPerBatch() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(chat.send(i % 2 == 0 ? bob : alice, group, "old " + i).get("id").asLong());
        }
        long young = chat.send(alice, group, "young").get("id").asLong();
        setup.override(admin, group, 30);
        ids.forEach(id -> setup.ageDays(id, 40));
        Instant before = Instant.now();

        MessageRetention.PurgeReport report = retention.purgeExpired(2);

        assertThat(ids).allMatch(setup::purged);
        assertThat(setup.purged(young)).isFalse();
        assertThat(report.messages()).isGreaterThanOrEqualTo(5);
        assertThat(report.batches()).isGreaterThanOrEqualTo(3);
        List<MessagesPurged> purged = purgedEvents(group);
        assertThat(purged).as("batches of 2, 2 and 1").extracting(MessagesPurged::count).containsExactly(2, 2, 1);
        assertThat(purged.stream().mapToInt(MessagesPurged::count).sum()).isEqualTo(5);
        List<Long> seqs = new ArrayList<>();
        for (MessagesPurged event : purged) {
            assertThat(event.toSeq()).isGreaterThanOrEqualTo(event.fromSeq());
            assertThat(event.toSeq() - event.fromSeq() + 1).isGreaterThanOrEqualTo(event.count());
            assertThat(event.toSeq()).as("never the young message").isLessThanOrEqualTo(5);
            assertThat(event.cutoff()).isCloseTo(before.minus(Duration.ofDays(30)), within(1, ChronoUnit.MINUTES));
            seqs.add(event.fromSeq());
            seqs.add(event.toSeq());
        }
        assertThat(seqs).contains(1L, 5L);
    }

    @Test
    void aGlobalBatchPublishesOneEventPerConversationItTouched() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String first = chat.group(alice, bob);
        String second = chat.group(alice, bob);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(chat.send(alice, first, "first " + i).get("id").asLong());
        }
        chat.send(alice, first, "young");
        ids.add(chat.send(bob, second, "second").get("id").asLong());
        ids.forEach(id -> setup.ageDays(id, GLOBAL + 10));
        setGlobal(GLOBAL);

        retention.purgeExpired(100);

        assertThat(purgedEvents(first)).singleElement().satisfies(event -> {
            assertThat(event.fromSeq()).isEqualTo(1);
            assertThat(event.toSeq()).isEqualTo(3);
            assertThat(event.count()).isEqualTo(3);
        });
        assertThat(purgedEvents(second)).singleElement().satisfies(event -> {
            assertThat(event.fromSeq()).isEqualTo(1);
            assertThat(event.toSeq()).isEqualTo(1);
            assertThat(event.count()).isEqualTo(1);
        });
    }

    @Test
    void rowsAnotherTransactionHoldsAreSkippedNotWaitedForAndPurgedLater() throws Exception {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        long busy = chat.send(alice, group, "locked elsewhere").get("id").asLong();
        long free = chat.send(alice, group, "free").get("id").asLong();
        setup.override(admin, group, 30);
        setup.ageDays(busy, 31);
        setup.ageDays(free, 31);

        try (Connection otherNode = dataSource.getConnection()) {
            otherNode.setAutoCommit(false);
            try (PreparedStatement lock = otherNode.prepareStatement(
                    "SELECT id FROM chat.message WHERE id = ? FOR UPDATE")) {
                lock.setLong(1, busy);
                lock.executeQuery().close();
            }
            retention.purgeExpired();
            assertThat(setup.purged(free)).isTrue();
            assertThat(setup.purged(busy)).as("held by another transaction").isFalse();
            otherNode.rollback();
        }

        retention.purgeExpired();
        assertThat(setup.purged(busy)).isTrue();
    }

    // --- setting periods -----------------------------------------------------------------------------

    @Test
    void orgAdminsSetAndReadPeriodsAndEachChangeIsPublished() {
        TestUser alice = clients.user("alice");
        String group = chat.group(alice, clients.user("bob"));
        UserId by = UserId.of(admin.id());

        retention.setGlobal(by, GLOBAL);
        retention.setGlobal(by, GLOBAL);
        retention.setOverride(by, ConversationId.of(UUID.fromString(group)), 30);
        retention.setOverride(by, ConversationId.of(UUID.fromString(group)), 60);
        retention.clearOverride(by, ConversationId.of(UUID.fromString(group)));
        retention.clearOverride(by, ConversationId.of(UUID.fromString(group)));
        retention.setGlobal(by, null);

        List<RetentionPolicyChanged> changes = events.stream(RetentionPolicyChanged.class)
                .filter(change -> change.by().equals(by)).toList();
        assertThat(changes).extracting(c -> c.conversationId() == null ? null : c.conversationId().toString(),
                RetentionPolicyChanged::oldDays, RetentionPolicyChanged::newDays).containsExactly(
                org.assertj.core.groups.Tuple.tuple(null, null, GLOBAL),
                org.assertj.core.groups.Tuple.tuple(group, null, 30),
                org.assertj.core.groups.Tuple.tuple(group, 30, 60),
                org.assertj.core.groups.Tuple.tuple(group, 60, null),
                org.assertj.core.groups.Tuple.tuple(null, GLOBAL, null));

        RestApi api = clients.rest(admin);
        JsonNode set = api.exchange(HttpMethod.PUT, "/api/v1/retention", body("messageRetentionDays", GLOBAL)).ok()
                .json();
        assertThat(set.get("messageRetentionDays").asInt()).isEqualTo(GLOBAL);
        assertThat(set.get("updatedBy").asString()).isEqualTo(admin.id().toString());
        assertThat(api.get("/api/v1/retention").ok().json().get("messageRetentionDays").asInt()).isEqualTo(GLOBAL);
        JsonNode override = api.exchange(HttpMethod.PUT, "/api/v1/retention/conversations/" + group,
                body("messageRetentionDays", 7)).ok().json();
        assertThat(override.get("conversationId").asString()).isEqualTo(group);
        assertThat(override.get("messageRetentionDays").asInt()).isEqualTo(7);
        assertThat(api.get("/api/v1/retention/conversations").ok().json())
                .anySatisfy(o -> assertThat(o.get("conversationId").asString()).isEqualTo(group));
        assertThat(api.exchange(HttpMethod.PUT, "/api/v1/retention", body("messageRetentionDays", null)).ok().json()
                .get("messageRetentionDays").isNull()).isTrue();
    }

    @Test
    void badPeriodsAreRefusedAndChangeNothing() {
        String group = chat.group(clients.user("alice"), clients.user("bob"));
        RestApi api = clients.rest(admin);
        String override = "/api/v1/retention/conversations/" + group;

        api.exchange(HttpMethod.PUT, "/api/v1/retention", body("messageRetentionDays", 0))
                .problem(400, "VALIDATION_FAILED");
        api.exchange(HttpMethod.PUT, "/api/v1/retention", body("messageRetentionDays", 36_501))
                .problem(400, "VALIDATION_FAILED");
        api.exchange(HttpMethod.PUT, "/api/v1/retention", body()).problem(400, "MALFORMED_REQUEST");
        api.exchange(HttpMethod.PUT, "/api/v1/retention", body("messageRetentionDays", "forever"))
                .problem(400, "MALFORMED_REQUEST");
        api.exchange(HttpMethod.PUT, override, body("messageRetentionDays", -5)).problem(400, "VALIDATION_FAILED");
        api.exchange(HttpMethod.PUT, override, body("messageRetentionDays", null)).problem(400, "VALIDATION_FAILED");
        api.exchange(HttpMethod.PUT, override, body("messageRetentionDays", 30, "unit", "days"))
                .problem(400, "MALFORMED_REQUEST");
        api.exchange(HttpMethod.PUT, "/api/v1/retention/conversations/" + UUID.randomUUID(),
                body("messageRetentionDays", 30)).problem(404, ChatProblems.CONVERSATION_NOT_FOUND);
        api.delete("/api/v1/retention/conversations/" + UUID.randomUUID())
                .problem(404, ChatProblems.CONVERSATION_NOT_FOUND);

        assertThat(api.get("/api/v1/retention").ok().json().get("messageRetentionDays").isNull()).isTrue();
        assertThat(overrideRows(group)).isZero();
    }

    @Test
    void onlyOrgAdminsTouchRetention() {
        String group = chat.group(clients.user("alice"), clients.user("bob"));
        for (TestUser caller : List.of(clients.user("employee"), setup.officer())) {
            RestApi api = clients.rest(caller);
            api.get("/api/v1/retention").problem(403, "FORBIDDEN");
            api.exchange(HttpMethod.PUT, "/api/v1/retention", body("messageRetentionDays", 1))
                    .problem(403, "FORBIDDEN");
            api.get("/api/v1/retention/conversations").problem(403, "FORBIDDEN");
            api.exchange(HttpMethod.PUT, "/api/v1/retention/conversations/" + group, body("messageRetentionDays", 1))
                    .problem(403, "FORBIDDEN");
            api.delete("/api/v1/retention/conversations/" + group).problem(403, "FORBIDDEN");
        }
        clients.anonymous().get("/api/v1/retention").problem(401, "UNAUTHENTICATED");

        assertThat(clients.rest(admin).get("/api/v1/retention").ok().json().get("messageRetentionDays").isNull())
                .isTrue();
        assertThat(overrideRows(group)).isZero();
    }

    // --- support -------------------------------------------------------------------------------------

    private void setGlobal(int days) {
        clients.rest(admin).exchange(HttpMethod.PUT, "/api/v1/retention", body("messageRetentionDays", days)).ok();
    }

    private List<MessagesPurged> purgedEvents(String conversationId) {
        return events.stream(MessagesPurged.class)
                .filter(event -> event.conversationId().value().toString().equals(conversationId)).toList();
    }

    private long overrideRows(String conversationId) {
        return jdbc.sql("SELECT count(*) FROM chat.retention_policy WHERE conversation_id = :c")
                .param("c", UUID.fromString(conversationId)).query(Long.class).single();
    }
}
