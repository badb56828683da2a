package io.chorus.integration.internal;

import io.chorus.chat.Card;
import io.chorus.chat.CardActionInvoked;
import io.chorus.chat.Cards;
import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserProfile;
import io.chorus.integration.Bots;
import io.chorus.integration.IntegrationProblems;
import io.chorus.platform.ChorusProblem;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Interactive cards of bots: an action a member invokes on a card a bot posted goes, signed, to
 * the bot's interactivity endpoint while the member waits; the bot may answer with a new card,
 * which replaces the old one in place. A plain listener (chat publishes synchronously, outside
 * any transaction): a refusal or failure reaches the member as the error of that action.
 */
@Component
class CardActionRelay {

    /**
     * At most this many card actions wait for bots at once on a node. The relay runs on the STOMP
     * inbound threads (the member's frame waits for the bot's answer, so a refusal can reach them
     * as that frame's error): without a bound, a few clicks on a slow bot's cards would hold every
     * inbound thread and stop all sends on the node for the call's deadline.
     */
    static final int MAX_WAITING = 4;

    private final Semaphore waiting = new Semaphore(MAX_WAITING);
    private final CommandStore store;
    private final Bots bots;
    private final Cards cards;
    private final UserDirectory users;
    private final BotCalls calls;
    private final CommandBudget budget;
    private final IntegrationProperties.Commands properties;
    private final JsonMapper json;
    private final Clock clock;

    CardActionRelay(CommandStore store, Bots bots, Cards cards, UserDirectory users, BotCalls calls,
            CommandBudget budget, IntegrationProperties properties, JsonMapper json, Clock clock) {
        this.store = store;
        this.bots = bots;
        this.cards = cards;
        this.users = users;
        this.calls = calls;
        this.budget = budget;
        this.properties = properties.commands();
        this.json = json;
        this.clock = clock;
    }

    @EventListener
    void on(CardActionInvoked invoked) {
        // Cards of other posters (approvals) and of bots without an endpoint: not ours to handle.
        CommandStore.Endpoint endpoint = store.endpoint(invoked.cardSender().value()).orElse(null);
        if (endpoint == null) {
            return;
        }
        if (!bots.active(endpoint.botId())) {
            throw failed("The card's bot is switched off.");
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "card.action");
        payload.put("id", id.toString());
        payload.put("actionId", invoked.actionId());
        payload.put("value", invoked.value());
        payload.put("input", invoked.input());
        payload.put("userId", invoked.actor().value().toString());
        payload.put("username", users.find(invoked.actor()).map(UserProfile::username).orElse(null));
        payload.put("conversationId", invoked.conversationId().value().toString());
        payload.put("messageId", invoked.messageId());
        payload.put("issuedAt", now.toString());
        budget.admitCardAction(invoked.actor().value(), endpoint.botId());
        if (!waiting.tryAcquire()) {
            throw failed("Too many card actions are waiting for bots on this node; try again in a moment.");
        }
        BotCalls.Answer answer;
        try {
            answer = calls.call(endpoint.url(), endpoint.signing().valid(now), id.toString(), now,
                    json.writeValueAsBytes(payload), properties.deadline());
        } finally {
            waiting.release();
        }
        if (!answer.succeeded()) {
            throw failed("The card's bot did not accept the action: " + answer.failure() + ".");
        }
        Card replacement;
        try {
            replacement = BotAnswer.cardOf(json, answer.result().body());
        } catch (BotAnswer.Unacceptable unacceptable) {
            throw failed("The card's bot answered something Chorus cannot show: " + unacceptable.getMessage());
        }
        if (replacement != null) {
            cards.update(invoked.cardSender(), invoked.conversationId(), invoked.messageId(), replacement);
        }
    }

    private static ChorusProblem failed(String detail) {
        return new ChorusProblem(HttpStatus.BAD_GATEWAY, IntegrationProblems.CARD_ACTION_FAILED, detail);
    }
}
