package io.chorus.chat;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.chat.ChatEvents.HoldSubject;
import io.chorus.chat.ChatEvents.LegalHoldPlaced;
import io.chorus.chat.ChatEvents.LegalHoldReleased;
import io.chorus.identity.UserAccounts;
import io.chorus.identity.UserId;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import tools.jackson.databind.JsonNode;

/**
 * Legal holds keep what they cover through retention purges, and nothing else. Periods are
 * per-conversation overrides, so no other test's messages expire.
 */
@ChorusIntegrationTest
@RecordApplicationEvents
class LegalHoldTest {

    @Autowired
    TestClients clients;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MessageRetention retention;

    @Autowired
    ApplicationEvents events;

    @Autowired
    UserAccounts accounts;

    ChatSetup chat;
    RetentionSetup setup;
    TestUser admin;
    TestUser officer;

    @BeforeEach
    void setUp() {
        chat = new ChatSetup(clients, jdbc);
        setup = new RetentionSetup(clients, jdbc);
        admin = setup.orgAdmin();
        officer = setup.officer();
    }

    @AfterEach
    void keepForeverForEveryoneElse() {
        setup.keepForever();
    }

    @Test
    void aHoldOnAUserKeepsWhatTheySentWithinItsRangeInEveryConversation() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        String other = chat.group(bob, alice);
        long beforeRange = chat.send(alice, group, "before the range").get("id").asLong();
        long inRange = chat.send(alice, group, "inside the range").get("id").asLong();
        long inRangeElsewhere = chat.send(alice, other, "inside, another group").get("id").asLong();
        long afterRange = chat.send(alice, group, "after the range").get("id").asLong();
        long bobs = chat.send(bob, group, "bob is not held").get("id").asLong();
        setup.override(admin, group, 30);
        setup.override(admin, other, 30);
        setup.ageDays(beforeRange, 100);
        setup.ageDays(inRange, 60);
        setup.ageDays(inRangeElsewhere, 60);
        setup.ageDays(afterRange, 35);
        setup.ageDays(bobs, 60);
        Instant now = Instant.now();
        setup.hold(officer, "USER", alice.id(), now.minus(80, ChronoUnit.DAYS), now.minus(40, ChronoUnit.DAYS));

        retention.purgeExpired();

        assertThat(setup.purged(inRange)).as("held: alice's, inside [from, to]").isFalse();
        assertThat(setup.stored(inRange).body()).isEqualTo("inside the range");
        assertThat(setup.purged(inRangeElsewhere)).as("a user hold covers every conversation").isFalse();
        assertThat(setup.purged(beforeRange)).as("before from").isTrue();
        assertThat(setup.purged(afterRange)).as("after to").isTrue();
        assertThat(setup.purged(bobs)).as("another sender").isTrue();
    }

    @Test
    void aHoldOnAConversationKeepsItsMessagesAndOpenEndsAreUnbounded() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String held = chat.group(alice, bob);
        String untilThen = chat.group(alice, bob);
        String free = chat.group(alice, bob);
        long ancient = chat.send(bob, held, "ancient").get("id").asLong();
        long recentlyExpired = chat.send(alice, held, "just expired").get("id").asLong();
        long oldInUntilThen = chat.send(alice, untilThen, "old").get("id").asLong();
        long newerInUntilThen = chat.send(alice, untilThen, "newer").get("id").asLong();
        long inFree = chat.send(alice, free, "nobody holds this").get("id").asLong();
        for (String conversation : List.of(held, untilThen, free)) {
            setup.override(admin, conversation, 30);
        }
        setup.ageDays(ancient, 3000);
        setup.ageDays(recentlyExpired, 31);
        setup.ageDays(oldInUntilThen, 90);
        setup.ageDays(newerInUntilThen, 40);
        setup.ageDays(inFree, 90);
        setup.hold(officer, "CONVERSATION", held, null, null);
        setup.hold(officer, "CONVERSATION", untilThen, null, Instant.now().minus(60, ChronoUnit.DAYS));

        retention.purgeExpired();

        assertThat(setup.purged(ancient)).as("open start").isFalse();
        assertThat(setup.purged(recentlyExpired)).as("open end").isFalse();
        assertThat(setup.purged(oldInUntilThen)).as("sent before to").isFalse();
        assertThat(setup.purged(newerInUntilThen)).as("sent after to").isTrue();
        assertThat(setup.purged(inFree)).isTrue();
    }

    @Test
    void aReleasedHoldNoLongerProtects() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = chat.group(alice, bob);
        long old = chat.send(alice, group, "kept while held").get("id").asLong();
        setup.override(admin, group, 30);
        setup.ageDays(old, 31);
        String hold = setup.hold(officer, "CONVERSATION", group, null, null);
        retention.purgeExpired();
        assertThat(setup.purged(old)).isFalse();

        JsonNode released = clients.rest(officer).post("/api/v1/legal-holds/" + hold + "/release", null).ok().json();
        retention.purgeExpired();

        assertThat(released.get("active").asBoolean()).isFalse();
        assertThat(released.get("releasedBy").asString()).isEqualTo(officer.id().toString());
        assertThat(setup.purged(old)).isTrue();
        assertThat(chat.message(bob, group, 1).get("purged").asBoolean()).isTrue();
    }

    @Test
    void holdsAreListedActiveOrReleasedAndReleasingTwiceConflicts() {
        TestUser alice = clients.user("alice");
        RestApi api = clients.rest(officer);
        JsonNode placed = api.post("/api/v1/legal-holds", body("subjectType", "USER", "subjectId", alice.id(),
                "from", "2024-01-01T00:00:00Z", "reason", "  Case 7  ")).status(201).json();
        String id = placed.get("id").asString();
        assertThat(placed.get("subjectType").asString()).isEqualTo("USER");
        assertThat(placed.get("subjectId").asString()).isEqualTo(alice.id().toString());
        assertThat(Instant.parse(placed.get("from").asString())).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(placed.get("to").isNull()).isTrue();
        assertThat(placed.get("reason").asString()).isEqualTo("Case 7");
        assertThat(placed.get("placedBy").asString()).isEqualTo(officer.id().toString());
        assertThat(placed.get("active").asBoolean()).isTrue();
        assertThat(listed(id).get("active").asBoolean()).isTrue();

        api.post("/api/v1/legal-holds/" + id + "/release", null).ok();
        api.post("/api/v1/legal-holds/" + id + "/release", null).problem(409, ChatProblems.LEGAL_HOLD_RELEASED);
        api.post("/api/v1/legal-holds/" + UUID.randomUUID() + "/release", null)
                .problem(404, ChatProblems.LEGAL_HOLD_NOT_FOUND);

        JsonNode listed = listed(id);
        assertThat(listed.get("active").asBoolean()).isFalse();
        assertThat(listed.get("releasedAt").isNull()).isFalse();
    }

    @Test
    void aDeactivatedUserCanBeHeld() {
        TestUser gone = clients.user("gone");
        accounts.deactivate(UserId.of(gone.id()));
        clients.rest(officer).post("/api/v1/legal-holds", body("subjectType", "USER", "subjectId", gone.id(),
                "reason", "Departed employee")).status(201);

        assertThat(holdRows(gone.id())).isEqualTo(1);
    }

    @Test
    void badHoldsAreRefusedAndChangeNothing() {
        TestUser alice = clients.user("alice");
        String group = chat.group(alice, clients.user("bob"));
        RestApi api = clients.rest(officer);
        String holds = "/api/v1/legal-holds";

        api.post(holds, body("subjectType", "USER", "subjectId", UUID.randomUUID(), "reason", "Nobody"))
                .problem(422, ChatProblems.HOLD_SUBJECT_NOT_FOUND);
        api.post(holds, body("subjectType", "CONVERSATION", "subjectId", alice.id(), "reason", "A user, not a chat"))
                .problem(422, ChatProblems.HOLD_SUBJECT_NOT_FOUND);
        api.post(holds, body("subjectType", "USER", "subjectId", group, "reason", "A chat, not a user"))
                .problem(422, ChatProblems.HOLD_SUBJECT_NOT_FOUND);
        api.post(holds, body("subjectType", "USER", "subjectId", alice.id(), "from", "2025-02-01T00:00:00Z",
                "to", "2025-01-01T00:00:00Z", "reason", "Backwards")).problem(400, "VALIDATION_FAILED");
        api.post(holds, body("subjectType", "USER", "subjectId", alice.id(), "reason", "   "))
                .problem(400, "VALIDATION_FAILED");
        api.post(holds, body("subjectType", "USER", "subjectId", alice.id())).problem(400, "VALIDATION_FAILED");
        api.post(holds, body("subjectType", "USER", "subjectId", alice.id(), "reason", "x".repeat(501)))
                .problem(400, "VALIDATION_FAILED");
        api.post(holds, body("subjectId", alice.id(), "reason", "No type")).problem(400, "VALIDATION_FAILED");
        api.post(holds, body("subjectType", "DEPARTMENT", "subjectId", alice.id(), "reason", "?"))
                .problem(400, "MALFORMED_REQUEST");
        api.post(holds, body("subjectType", "USER", "subjectId", alice.id(), "from", "last week", "reason", "?"))
                .problem(400, "MALFORMED_REQUEST");
        api.post(holds, body("subjectType", "USER", "subjectId", alice.id(), "reason", "?", "until", "forever"))
                .problem(400, "MALFORMED_REQUEST");

        assertThat(holdRows(alice.id()) + holdRows(UUID.fromString(group))).isZero();
    }

    @Test
    void onlyComplianceOfficersManageHolds() {
        TestUser alice = clients.user("alice");
        String hold = setup.hold(officer, "USER", alice.id(), null, null);
        for (TestUser caller : List.of(clients.user("employee"), admin)) {
            RestApi api = clients.rest(caller);
            api.post("/api/v1/legal-holds", body("subjectType", "USER", "subjectId", alice.id(), "reason", "Mine"))
                    .problem(403, "FORBIDDEN");
            api.get("/api/v1/legal-holds").problem(403, "FORBIDDEN");
            api.post("/api/v1/legal-holds/" + hold + "/release", null).problem(403, "FORBIDDEN");
        }
        clients.anonymous().get("/api/v1/legal-holds").problem(401, "UNAUTHENTICATED");

        assertThat(holdRows(alice.id())).isEqualTo(1);
        assertThat(listed(hold).get("active").asBoolean()).as("still active").isTrue();
        setup.release(officer, hold);
    }

    @Test
    void placingAndReleasingAHoldIsPublished() {
        TestUser alice = clients.user("alice");
        UserId by = UserId.of(officer.id());
        Instant from = Instant.parse("2025-03-01T00:00:00Z");

        LegalHold placed = retention.placeHold(by, new PlaceLegalHold(HoldSubject.USER, alice.id(), from, null,
                "Case 9"));
        retention.releaseHold(by, placed.id());

        assertThat(events.stream(LegalHoldPlaced.class).filter(e -> e.holdId().equals(placed.id())))
                .singleElement().satisfies(e -> {
                    assertThat(e.subjectType()).isEqualTo(HoldSubject.USER);
                    assertThat(e.subjectId()).isEqualTo(alice.id());
                    assertThat(e.from()).isEqualTo(from);
                    assertThat(e.to()).isNull();
                    assertThat(e.reason()).isEqualTo("Case 9");
                    assertThat(e.by()).isEqualTo(by);
                });
        assertThat(events.stream(LegalHoldReleased.class).filter(e -> e.holdId().equals(placed.id())))
                .singleElement().satisfies(e -> {
                    assertThat(e.subjectId()).isEqualTo(alice.id());
                    assertThat(e.by()).isEqualTo(by);
                });
    }

    private JsonNode listed(String holdId) {
        for (JsonNode hold : clients.rest(officer).get("/api/v1/legal-holds").ok().json()) {
            if (hold.get("id").asString().equals(holdId)) {
                return hold;
            }
        }
        throw new AssertionError("hold " + holdId + " is not listed");
    }

    private long holdRows(UUID subject) {
        return jdbc.sql("SELECT count(*) FROM chat.legal_hold WHERE subject_id = :s")
                .param("s", subject).query(Long.class).single();
    }
}
