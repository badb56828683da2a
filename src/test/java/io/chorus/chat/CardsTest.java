package io.chorus.chat;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.chat.Card.Action;
import io.chorus.chat.Card.ActionStyle;
import io.chorus.chat.Card.Field;
import io.chorus.chat.Card.Input;
import io.chorus.identity.UserId;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.StompTestClient;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Cards end to end: posted by another module through {@link Cards}, seen in history and live by
 * members, replaced in place, never edited or forged by members, found by search, and their
 * actions invoked over STOMP reach the poster's listener.
 */
@ChorusIntegrationTest
class CardsTest {

    @Autowired
    TestClients clients;

    @Autowired
    Cards cards;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ConfigurableApplicationContext context;

    @Autowired
    MessageRetention retention;

    private ChatSetup chat;
    private final ActionListener listener = new ActionListener();

    /**
     * Stands in for the poster's plain {@code @EventListener}: added to the running context's
     * multicaster (the same one an annotated listener bean is called through), so this class
     * shares the application with the other integration tests instead of starting its own.
     */
    static final class ActionListener implements ApplicationListener<ApplicationEvent> {

        final Queue<CardActionInvoked> heard = new ConcurrentLinkedQueue<>();
        volatile ChorusProblem refusal;

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            if (event instanceof PayloadApplicationEvent<?> payload
                    && payload.getPayload() instanceof CardActionInvoked invoked) {
                heard.add(invoked);
                if (refusal != null) {
                    throw refusal;
                }
            }
        }
    }

    @BeforeEach
    void setUp() {
        chat = new ChatSetup(clients, jdbc);
        context.addApplicationListener(listener);
    }

    @AfterEach
    void tearDown() {
        context.removeApplicationListener(listener);
    }

    static Card leaveRequest(String title, String status, Action... actions) {
        return new Card(title, status, List.of(new Field("From", "Alice"), new Field("Days", "2\n(Mon, Tue)")),
                List.of(actions));
    }

    static Action approve() {
        return new Action("approve", "Approve", ActionStyle.PRIMARY, "task-7", "POST",
                "/api/v1/approvals/tasks/7/approve", null);
    }

    static Action reject() {
        return new Action("reject", "Reject", ActionStyle.DANGER, "task-7", "POST",
                "/api/v1/approvals/tasks/7/reject", new Input("reason", "Reason", true, 100));
    }

    private String direct(TestUser bot, TestUser member) {
        return clients.rest(bot).post("/api/v1/conversations/direct", body("userId", member.id())).status(201)
                .json().get("id").asString();
    }

    private MessageView post(TestUser bot, String conversation, String clientMessageId, Card card) {
        return cards.post(new PostCard(ConversationId.of(UUID.fromString(conversation)), UserId.of(bot.id()),
                clientMessageId, card));
    }

    @Test
    void aPostedCardIsInTheHistoryAndReachesMembersLiveWithItsKindAndCard() {
        TestUser bot = clients.user("approvals");
        TestUser alice = clients.user("alice");
        String conversation = direct(bot, alice);
        Card card = leaveRequest("Leave request", "Pending", approve(), reject());

        try (StompTestClient aliceLive = clients.stomp(alice)) {
            MessageView posted = post(bot, conversation, "leave-7", card);
            assertThat(posted.kind()).isEqualTo(MessageKind.CARD);
            assertThat(posted.card()).isEqualTo(card);
            assertThat(posted.text()).isEqualTo("Leave request\nPending\nFrom: Alice\nDays: 2\n(Mon, Tue)");

            JsonNode live = aliceLive.awaitEvent("message.posted").get("message");
            assertThat(live.get("id").asLong()).isEqualTo(posted.id());
            assertThat(live.get("kind").asString()).isEqualTo("CARD");
            assertThat(live.get("text").asString()).isEqualTo(posted.text());
            assertThat(live.at("/card/title").asString()).isEqualTo("Leave request");
            assertThat(live.at("/card/status").asString()).isEqualTo("Pending");
            assertThat(live.at("/card/fields/1/value").asString()).isEqualTo("2\n(Mon, Tue)");
            assertThat(live.at("/card/actions/0/style").asString()).isEqualTo("PRIMARY");
            assertThat(live.at("/card/actions/0/input").isNull()).isTrue();
            assertThat(live.at("/card/actions/1/input/name").asString()).isEqualTo("reason");
            assertThat(live.at("/card/actions/1/input/maxLength").asInt()).isEqualTo(100);
            assertThat(live.at("/card/actions/1/path").asString()).isEqualTo("/api/v1/approvals/tasks/7/reject");
        }

        chat.send(alice, conversation, "Thanks!");
        List<JsonNode> history = chat.history(alice, conversation);
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("kind").asString()).isEqualTo("CARD");
        assertThat(history.get(0).at("/card/actions/1/label").asString()).isEqualTo("Reject");
        assertThat(history.get(1).get("kind").asString()).isEqualTo("TEXT");
        assertThat(ChatSetup.absent(history.get(1), "card")).isTrue();
    }

    @Test
    void postingTheSameCardAgainReturnsTheOriginalAndStoresNothingNew() {
        TestUser bot = clients.user("approvals");
        TestUser alice = clients.user("alice");
        String conversation = direct(bot, alice);
        MessageView first = post(bot, conversation, "leave-8", leaveRequest("Leave request", "Pending", approve()));

        MessageView again = post(bot, conversation, "leave-8", leaveRequest("Something else", "Changed"));

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.seq()).isEqualTo(first.seq());
        assertThat(again.card()).as("a retry does not replace the card").isEqualTo(first.card());
        assertThat(chat.storedMessages(conversation)).isEqualTo(1);
        assertThat(chat.storedLastSeq(conversation)).isEqualTo(1);

        String elsewhere = direct(bot, clients.user("bob"));
        assertThatThrownBy(() -> post(bot, elsewhere, "leave-8", leaveRequest("Leave request", null)))
                .isInstanceOfSatisfying(ChorusProblem.class,
                        problem -> assertThat(problem.code()).isEqualTo(ChatProblems.CLIENT_MESSAGE_ID_REUSED));
        TestUser mallory = clients.user("mallory");
        assertThatThrownBy(() -> post(mallory, conversation, "sneaky-1", leaveRequest("Approve me", null)))
                .isInstanceOfSatisfying(ChorusProblem.class,
                        problem -> assertThat(problem.code()).isEqualTo(ChatProblems.NOT_A_MEMBER));
        assertThat(chat.storedMessages(conversation)).isEqualTo(1);
    }

    @Test
    void anUpdateReplacesTheCardInPlaceAndAnIdenticalOneChangesNothing() {
        TestUser bot = clients.user("approvals");
        TestUser alice = clients.user("alice");
        String conversation = direct(bot, alice);
        ConversationId id = ConversationId.of(UUID.fromString(conversation));
        MessageView posted = post(bot, conversation, "leave-9", leaveRequest("Leave request", "Pending",
                approve(), reject()));
        Card decided = leaveRequest("Leave request", "Approved");

        try (StompTestClient aliceLive = clients.stomp(alice)) {
            MessageView updated = cards.update(UserId.of(bot.id()), id, posted.id(), decided);
            assertThat(updated.version()).isEqualTo(2);
            assertThat(updated.card()).isEqualTo(decided);
            assertThat(updated.editedAt()).isNotNull();

            JsonNode live = aliceLive.awaitEvent("message.updated").get("message");
            assertThat(live.get("id").asLong()).isEqualTo(posted.id());
            assertThat(live.get("seq").asLong()).isEqualTo(posted.seq());
            assertThat(live.get("version").asInt()).isEqualTo(2);
            assertThat(live.at("/card/status").asString()).isEqualTo("Approved");
            assertThat(live.at("/card/actions").size()).isZero();
            assertThat(live.get("text").asString()).startsWith("Leave request\nApproved\n");

            MessageView same = cards.update(UserId.of(bot.id()), id, posted.id(),
                    leaveRequest("Leave request", "Approved"));
            assertThat(same.version()).isEqualTo(2);
            assertThat(aliceLive.drainEvents()).as("events after an identical update").isEmpty();
        }
        assertThat(chat.message(alice, conversation, posted.seq()).get("version").asInt()).isEqualTo(2);
        // Compliance keeps the card as it was before.
        assertThat(jdbc.sql("SELECT card ->> 'status' FROM chat.message_revision WHERE message_id = :id")
                .param("id", posted.id()).query(String.class).list()).containsExactly("Pending");

        assertThatThrownBy(() -> cards.update(UserId.of(alice.id()), id, posted.id(), decided))
                .isInstanceOfSatisfying(ChorusProblem.class,
                        problem -> assertThat(problem.code()).isEqualTo(ChatProblems.NOT_THE_AUTHOR));
        long text = chat.send(bot, conversation, "Plain words").get("id").asLong();
        assertThatThrownBy(() -> cards.update(UserId.of(bot.id()), id, text, decided))
                .isInstanceOfSatisfying(ChorusProblem.class,
                        problem -> assertThat(problem.code()).isEqualTo(ChatProblems.NOT_A_CARD));
    }

    @Test
    void membersCannotEditACardAsTextNorForgeOne() {
        TestUser bot = clients.user("approvals");
        TestUser alice = clients.user("alice");
        String conversation = direct(bot, alice);
        MessageView posted = post(bot, conversation, "leave-10", leaveRequest("Leave request", "Pending", approve()));
        String message = ChatSetup.messages(conversation) + "/" + posted.id();

        clients.rest(bot).patch(message, body("text", "Approved!")).problem(409, ChatProblems.CARD_NOT_EDITABLE);
        clients.rest(alice).patch(message, body("text", "Approved!")).problem(409, ChatProblems.CARD_NOT_EDITABLE);
        JsonNode stored = chat.message(alice, conversation, posted.seq());
        assertThat(stored.get("version").asInt()).isEqualTo(1);
        assertThat(stored.get("text").asString()).isEqualTo(posted.text());

        Map<String, Object> forged = body("clientMessageId", "forged-1", "text", "Leave request", "kind", "CARD",
                "card", Map.of("title", "Leave request"));
        clients.rest(alice).post(ChatSetup.messages(conversation), forged).problem(400, ProblemCodes.MALFORMED_REQUEST);
        try (StompTestClient aliceLive = clients.stomp(alice)) {
            aliceLive.send("/app/conversations/" + conversation + "/messages", forged);
            assertThat(aliceLive.awaitError().get("code").asString()).isEqualTo(ProblemCodes.MALFORMED_REQUEST);
        }
        assertThat(chat.storedMessages(conversation)).isEqualTo(1);

        // Recall works as for any message, and hides the card with the text.
        clients.rest(bot).post(message + "/recall", null).ok();
        JsonNode recalled = chat.message(alice, conversation, posted.seq());
        assertThat(recalled.get("kind").asString()).isEqualTo("CARD");
        assertThat(ChatSetup.absent(recalled, "card")).isTrue();
        assertThat(ChatSetup.absent(recalled, "text")).isTrue();
    }

    @Test
    void retentionErasesACardWithEveryEarlierVersion() {
        TestUser bot = clients.user("approvals");
        TestUser alice = clients.user("alice");
        String conversation = direct(bot, alice);
        MessageView posted = post(bot, conversation, "old-1", leaveRequest("Leave request", "Pending", approve()));
        cards.update(UserId.of(bot.id()), ConversationId.of(UUID.fromString(conversation)), posted.id(),
                leaveRequest("Leave request", "Approved"));
        RetentionSetup setup = new RetentionSetup(clients, jdbc);
        setup.override(setup.orgAdmin(), conversation, 30);
        setup.ageDays(posted.id(), 31);

        retention.purgeExpired();

        JsonNode purged = chat.message(alice, conversation, posted.seq());
        assertThat(purged.get("purged").asBoolean()).isTrue();
        assertThat(purged.get("kind").asString()).isEqualTo("CARD");
        assertThat(ChatSetup.absent(purged, "card")).isTrue();
        assertThat(jdbc.sql("SELECT count(*) FROM chat.message m WHERE m.id = :id AND m.card IS NULL AND m.body = ''"
                        + " AND NOT EXISTS (SELECT 1 FROM chat.message_revision r WHERE r.message_id = m.id)")
                .param("id", posted.id()).query(Long.class).single()).as("card and revisions erased where stored")
                .isEqualTo(1);
        assertThatThrownBy(() -> cards.update(UserId.of(bot.id()), ConversationId.of(UUID.fromString(conversation)),
                posted.id(), leaveRequest("Leave request", "Reopened")))
                .isInstanceOfSatisfying(ChorusProblem.class,
                        problem -> assertThat(problem.code()).isEqualTo(ChatProblems.MESSAGE_PURGED));
    }

    @Test
    void searchFindsACardByAWordOfItsTitleAsItIsNow() {
        TestUser bot = clients.user("approvals");
        TestUser alice = clients.user("alice");
        String conversation = direct(bot, alice);
        String before = "zephyrine" + UUID.randomUUID().toString().substring(0, 6);
        String after = "xylocarp" + UUID.randomUUID().toString().substring(0, 6);
        MessageView posted = post(bot, conversation, "budget-1", leaveRequest("Budget " + before + " review", null,
                approve()));

        Awaitility.await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(searchIds(alice, before)).containsExactly(posted.id()));

        cards.update(UserId.of(bot.id()), ConversationId.of(UUID.fromString(conversation)), posted.id(),
                leaveRequest("Budget " + after + " review", "Approved"));
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(searchIds(alice, after)).containsExactly(posted.id()));
    }

    private List<Long> searchIds(TestUser user, String q) {
        JsonNode page = clients.rest(user).get("/api/v1/search/messages?q=" + q).ok().json();
        List<Long> ids = new java.util.ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("messageId").asLong()));
        return ids;
    }

    @Test
    void aMemberInvokingAnActionReachesThePostersListener() {
        TestUser bot = clients.user("approvals");
        TestUser alice = clients.user("alice");
        String conversation = direct(bot, alice);
        MessageView posted = post(bot, conversation, "leave-11", leaveRequest("Leave request", "Pending",
                approve(), reject()));
        String actions = "/app/conversations/" + conversation + "/messages/" + posted.id() + "/actions/";

        try (StompTestClient aliceLive = clients.stomp(alice)) {
            aliceLive.sendWithReceipt(actions + "reject", Map.of("input", "  Too close to the release  "));
            assertThat(heardIn(conversation)).containsExactly(new CardActionInvoked(UserId.of(alice.id()),
                    ConversationId.of(UUID.fromString(conversation)), posted.id(), UserId.of(bot.id()), "reject",
                    "task-7", "Too close to the release"));

            aliceLive.sendWithReceipt(actions + "approve", Map.of());
            assertThat(heardIn(conversation)).hasSize(2).last()
                    .satisfies(invoked -> {
                        assertThat(invoked.actionId()).isEqualTo("approve");
                        assertThat(invoked.input()).isNull();
                    });
            assertThat(aliceLive.drainErrors()).isEmpty();
        }
    }

    @Test
    void actionsAreRefusedToNonMembersAndWhenTheCardHasNoSuchActionNow() {
        TestUser bot = clients.user("approvals");
        TestUser alice = clients.user("alice");
        TestUser mallory = clients.user("mallory");
        String conversation = direct(bot, alice);
        MessageView posted = post(bot, conversation, "leave-12", leaveRequest("Leave request", "Pending",
                approve(), reject()));
        String actions = "/app/conversations/" + conversation + "/messages/" + posted.id() + "/actions/";
        long text = chat.send(alice, conversation, "Please approve").get("id").asLong();

        try (StompTestClient aliceLive = clients.stomp(alice); StompTestClient malloryLive = clients.stomp(mallory)) {
            malloryLive.send(actions + "approve", Map.of());
            refused(malloryLive.awaitError(), ChatProblems.NOT_A_MEMBER, 403, actions + "approve");

            aliceLive.send(actions + "escalate", Map.of());
            refused(aliceLive.awaitError(), ChatProblems.CARD_ACTION_UNAVAILABLE, 409, actions + "escalate");

            aliceLive.send(actions + "reject", Map.of());
            refused(aliceLive.awaitError(), ProblemCodes.VALIDATION_FAILED, 400, actions + "reject");
            aliceLive.send(actions + "reject", Map.of("input", "x".repeat(101)));
            refused(aliceLive.awaitError(), ProblemCodes.VALIDATION_FAILED, 400, actions + "reject");
            aliceLive.send(actions + "approve", Map.of("input", "yes", "extra", 1));
            refused(aliceLive.awaitError(), ProblemCodes.MALFORMED_REQUEST, 400, actions + "approve");

            String onText = "/app/conversations/" + conversation + "/messages/" + text + "/actions/approve";
            aliceLive.send(onText, Map.of());
            refused(aliceLive.awaitError(), ChatProblems.CARD_ACTION_UNAVAILABLE, 409, onText);

            // The card moved on: the action a client still shows is gone from its current version.
            cards.update(UserId.of(bot.id()), ConversationId.of(UUID.fromString(conversation)), posted.id(),
                    leaveRequest("Leave request", "Approved"));
            aliceLive.awaitEvent("message.updated");
            aliceLive.send(actions + "approve", Map.of());
            refused(aliceLive.awaitError(), ChatProblems.CARD_ACTION_UNAVAILABLE, 409, actions + "approve");
        }
        assertThat(heardIn(conversation)).as("actions that reached the poster").isEmpty();
    }

    @Test
    void aRefusalByThePosterReachesTheMemberAsAStructuredError() {
        TestUser bot = clients.user("approvals");
        TestUser alice = clients.user("alice");
        String conversation = direct(bot, alice);
        MessageView posted = post(bot, conversation, "leave-13", leaveRequest("Leave request", "Pending", approve()));
        String approve = "/app/conversations/" + conversation + "/messages/" + posted.id() + "/actions/approve";
        listener.refusal = new ChorusProblem(HttpStatus.CONFLICT, "TASK_ALREADY_DECIDED", "Bob decided first.");

        try (StompTestClient aliceLive = clients.stomp(alice)) {
            aliceLive.send(approve, Map.of());
            JsonNode error = aliceLive.awaitError();
            refused(error, "TASK_ALREADY_DECIDED", 409, approve);
            assertThat(error.get("detail").asString()).isEqualTo("Bob decided first.");
            assertThat(heardIn(conversation)).hasSize(1);

            listener.refusal = null;
            aliceLive.sendWithReceipt(approve, Map.of());
            assertThat(heardIn(conversation)).as("the session carries on after a refusal").hasSize(2);
        }
    }

    private List<CardActionInvoked> heardIn(String conversation) {
        return listener.heard.stream()
                .filter(invoked -> invoked.conversationId().value().toString().equals(conversation)).toList();
    }

    private static void refused(JsonNode error, String code, int status, String destination) {
        assertThat(error.get("code").asString()).as("code of %s", error).isEqualTo(code);
        assertThat(error.get("status").asInt()).as("status of %s", error).isEqualTo(status);
        assertThat(error.get("destination").asString()).isEqualTo(destination);
    }

}
