package io.chorus.integration.internal;

import io.chorus.chat.Card;
import io.chorus.chat.Cards;
import io.chorus.chat.ChatProblems;
import io.chorus.chat.ConversationId;
import io.chorus.chat.ConversationView;
import io.chorus.chat.Conversations;
import io.chorus.chat.MessageView;
import io.chorus.chat.Messages;
import io.chorus.chat.PostCard;
import io.chorus.chat.SendMessage;
import io.chorus.chat.SendResult;
import io.chorus.identity.CurrentUser;
import io.chorus.identity.UserAccounts;
import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import io.chorus.integration.IncomingWebhooks;
import io.chorus.integration.IntegrationEvents;
import io.chorus.integration.IntegrationProblems;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import io.chorus.platform.UnacceptableTextException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.PropertyBindingException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link IncomingWebhooks}: who manages a group's hooks (chat's rule: its owner and admins), and
 * how a delivery is authenticated, checked for replay and posted.
 */
@Service
class IncomingWebhookRegistry implements IncomingWebhooks {

    /** Standard Webhooks ids are short (msg_ + a ULID, say); a longer one is not worth a row. */
    private static final int MAX_WEBHOOK_ID = 200;

    /** What a delivery's body may say: a text message or a card (chat's Card, without actions), exactly one of them. */
    record HookMessage(String text, Card card) {
    }

    private final IncomingWebhookStore store;
    private final Conversations conversations;
    private final Messages messages;
    private final Cards cards;
    private final UserAccounts accounts;
    private final UserDirectory users;
    private final HookBudget limits;
    private final IntegrationProperties.IncomingWebhooks settings;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    IncomingWebhookRegistry(IncomingWebhookStore store, Conversations conversations, Messages messages, Cards cards,
            UserAccounts accounts, UserDirectory users, HookBudget limits, IntegrationProperties properties,
            JsonMapper json, ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.conversations = conversations;
        this.messages = messages;
        this.cards = cards;
        this.accounts = accounts;
        this.users = users;
        this.limits = limits;
        this.settings = properties.incomingWebhooks();
        this.json = json;
        this.events = events;
        this.clock = clock;
    }

    // ------------------------------------------------------------------ managing

    @Override
    @Transactional
    public Issued create(CurrentUser caller, ConversationId conversation, NewHook command) {
        String name = BotLooks.name("name", command.name());
        String avatar = BotLooks.avatarUrl(command.avatarUrl());
        ConversationView group = managed(caller, conversation);
        if (group.archived()) {
            throw ChorusProblem.conflict(ChatProblems.CONVERSATION_ARCHIVED, "This group is archived.");
        }
        UUID id = UUID.randomUUID();
        String key = botKey(id);
        // The bot is a member like any other: its posts show, are searched and audited as everyone's.
        UserId bot = accounts.provisionBot(key, name);
        conversations.addMembers(caller.id(), conversation, List.of(bot.value()));
        String pathSecret = Secrets.random("");
        String signingSecret = WebhookSignatures.newSecret();
        Hook hook = new Hook(id, conversation.value(), bot.value(), name, avatar, caller.id().value(),
                clock.instant(), null, null);
        store.insert(hook, Secrets.sha256(pathSecret), signingSecret);
        events.publishEvent(new IntegrationEvents.IncomingWebhookCreated(id, conversation.value(), bot.value(), name,
                caller.id(), hook.createdAt()));
        return new Issued(hook, pathSecret, signingSecret);
    }

    @Override
    @Transactional(readOnly = true)
    public List<Hook> list(CurrentUser caller, ConversationId conversation) {
        managed(caller, conversation);
        return store.live(conversation.value());
    }

    @Override
    @Transactional
    public Issued rotate(CurrentUser caller, ConversationId conversation, UUID hookId) {
        managed(caller, conversation);
        Hook hook = store.liveForUpdate(conversation.value(), hookId).orElseThrow(IncomingWebhookRegistry::notFound);
        String pathSecret = Secrets.random("");
        String signingSecret = WebhookSignatures.newSecret();
        Instant now = clock.instant();
        Instant previousValidUntil = now.plus(settings.rotationOverlap());
        store.rotate(hook.id(), Secrets.sha256(pathSecret), signingSecret, now, previousValidUntil);
        events.publishEvent(new IntegrationEvents.IncomingWebhookRotated(hook.id(), hook.conversationId(),
                previousValidUntil, caller.id(), now));
        Hook rotated = new Hook(hook.id(), hook.conversationId(), hook.botId(), hook.name(), hook.avatarUrl(),
                hook.createdBy(), hook.createdAt(), now, previousValidUntil);
        return new Issued(rotated, pathSecret, signingSecret);
    }

    @Override
    @Transactional
    public void delete(CurrentUser caller, ConversationId conversation, UUID hookId) {
        managed(caller, conversation);
        Hook hook = store.liveForUpdate(conversation.value(), hookId).orElseThrow(IncomingWebhookRegistry::notFound);
        Instant now = clock.instant();
        store.delete(hook.id(), caller.id().value(), now);
        // The bot leaves (allowed even in an archived group): the group's member list shows it
        // gone, and no code path can post as it again. An admin may have removed it already.
        UserId bot = UserId.of(hook.botId());
        if (conversations.memberships(bot).stream().anyMatch(ref -> ref.id().equals(conversation))) {
            conversations.removeMember(bot, conversation, bot);
        }
        events.publishEvent(new IntegrationEvents.IncomingWebhookDeleted(hook.id(), hook.conversationId(),
                hook.botId(), caller.id(), now));
    }

    /**
     * The group, if the caller may manage its hooks: chat's rule for managing a group's members
     * (its owner and admins), and only project groups — a direct chat has no members to add, a
     * department group's members follow the org chart.
     */
    private ConversationView managed(CurrentUser caller, ConversationId conversation) {
        ConversationView view = conversations.get(caller.id(), conversation);
        switch (view.kind()) {
            case DIRECT -> throw ChorusProblem.unprocessable(ChatProblems.NOT_A_GROUP,
                    "Incoming webhooks post into groups, not direct chats.");
            case DEPARTMENT -> throw ChorusProblem.conflict(ChatProblems.DEPARTMENT_GROUP_MANAGED,
                    "A department group's members follow the org chart; a webhook's bot cannot join it.");
            case GROUP -> {
                // managed by hand
            }
        }
        if (view.myRole() == null || !view.myRole().manages()) {
            throw ChorusProblem.forbidden(ChatProblems.NOT_ALLOWED,
                    "Only the group's owner and admins manage its incoming webhooks.");
        }
        return view;
    }

    /** {@code hook-} and 12 hex digits of the hook's id, unless that name is somebody's already. */
    private String botKey(UUID id) {
        String key = "hook-" + id.toString().replace("-", "").substring(0, 12);
        while (!users.findByUsernames(List.of(key)).isEmpty()) {
            key = "hook-" + HexFormat.of().formatHex(Secrets.randomBytes(6));
        }
        return key;
    }

    // ------------------------------------------------------------------ receiving

    @Override
    public int maxBodyBytes() {
        return (int) Math.min(Integer.MAX_VALUE - 1, settings.maxBody().toBytes());
    }

    /**
     * Not one transaction: the webhook-id is recorded (and committed) before the post, so a
     * concurrent replay waits on that row and is refused; if the post fails the record is
     * removed again, so the sender's retry is judged as new.
     */
    @Override
    public Posted receive(Delivery delivery) {
        if (delivery.body().length > maxBodyBytes()) {
            throw tooLarge(maxBodyBytes());
        }
        Instant now = clock.instant();
        IncomingWebhookStore.Credentials credentials = store.credentials(delivery.hookId(), now)
                .orElseThrow(IncomingWebhookRegistry::notFound);
        boolean signed = delivery.pathSecret() == null;
        if (signed) {
            verifySignature(delivery, credentials, now);
        } else if (!pathSecretMatches(delivery.pathSecret(), credentials)) {
            throw notFound();
        }
        Hook hook = credentials.hook();
        limits.admit(hook.id());
        HookMessage message = parse(delivery.body());
        String clientMessageId = signed ? "wh-" + Secrets.base64Url(Secrets.sha256(delivery.webhookId()))
                : "wh-" + UUID.randomUUID();
        if (signed && !store.firstSighting(hook.id(), delivery.webhookId(), now)) {
            throw ChorusProblem.conflict(IntegrationProblems.WEBHOOK_REPLAYED,
                    "This webhook-id was delivered already; nothing was posted.");
        }
        try {
            return post(hook, clientMessageId, message);
        } catch (RuntimeException failed) {
            if (signed) {
                store.forgetSighting(hook.id(), delivery.webhookId());
            }
            throw failed;
        }
    }

    private Posted post(Hook hook, String clientMessageId, HookMessage message) {
        ConversationId conversation = ConversationId.of(hook.conversationId());
        UserId bot = UserId.of(hook.botId());
        if (message.card() == null) {
            SendResult sent = messages.send(new SendMessage(conversation, bot, clientMessageId, message.text(), null));
            return posted(sent.message(), sent.duplicate());
        }
        Instant before = clock.instant();
        MessageView card = cards.post(new PostCard(conversation, bot, clientMessageId, message.card()));
        // Cards.post answers a repeated client message id with the card as first posted: older than this call.
        return posted(card, card.createdAt().isBefore(before));
    }

    private static Posted posted(MessageView message, boolean duplicate) {
        return new Posted(message.id(), message.conversationId(), message.seq(), duplicate);
    }

    private void verifySignature(Delivery delivery, IncomingWebhookStore.Credentials credentials, Instant now) {
        if (delivery.webhookId() != null && delivery.webhookId().length() > MAX_WEBHOOK_ID) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "webhook-id has at most " + MAX_WEBHOOK_ID + " characters.");
        }
        List<String> secrets = new ArrayList<>(2);
        secrets.add(credentials.signingSecret());
        if (credentials.previousSigningSecret() != null) {
            secrets.add(credentials.previousSigningSecret());
        }
        WebhookSignatures.Refusal refusal = WebhookSignatures.verify(secrets, delivery.webhookId(),
                delivery.timestamp(), delivery.signature(), delivery.body(), now);
        if (refusal == null) {
            return;
        }
        throw switch (refusal) {
            case STALE_TIMESTAMP -> new ChorusProblem(HttpStatus.UNAUTHORIZED,
                    IntegrationProblems.WEBHOOK_TIMESTAMP_STALE,
                    "webhook-timestamp is more than " + WebhookSignatures.TOLERANCE.toMinutes()
                            + " minutes from the server's clock.");
            case MISSING_HEADERS -> new ChorusProblem(HttpStatus.UNAUTHORIZED,
                    IntegrationProblems.WEBHOOK_SIGNATURE_INVALID,
                    "Sign the request (webhook-id, webhook-timestamp, webhook-signature) or post to the URL with its secret.");
            case BAD_SIGNATURE -> new ChorusProblem(HttpStatus.UNAUTHORIZED,
                    IntegrationProblems.WEBHOOK_SIGNATURE_INVALID, "No signature matches this webhook's secret.");
        };
    }

    /** Compares hashes, both of them every time, in constant time: the answer's timing tells nothing about either. */
    private static boolean pathSecretMatches(String offered, IncomingWebhookStore.Credentials credentials) {
        byte[] hash = Secrets.sha256(offered);
        boolean current = MessageDigest.isEqual(hash, credentials.pathSecretHash());
        boolean previous = credentials.previousPathSecretHash() != null
                && MessageDigest.isEqual(hash, credentials.previousPathSecretHash());
        return current | previous;
    }

    /** The body as JSON: {@code {text}} or {@code {card}}; a card's own rules refuse with the field named. */
    private HookMessage parse(byte[] body) {
        HookMessage message;
        try {
            message = json.readValue(body, HookMessage.class);
        } catch (JacksonException unreadable) {
            for (Throwable cause = unreadable; cause != null; cause = cause.getCause()) {
                if (cause instanceof ChorusProblem problem) {
                    throw problem;
                }
                if (cause instanceof UnacceptableTextException text) {
                    throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, text.getOriginalMessage());
                }
            }
            throw ChorusProblem.badRequest(ProblemCodes.MALFORMED_REQUEST,
                    unreadable instanceof PropertyBindingException unknown
                            ? "Unknown field '" + unknown.getPropertyName() + "': the body is {text} or {card}."
                            : "The body is not valid JSON of the form {\"text\": ...} or {\"card\": {...}}.");
        }
        if (message == null || (message.text() == null) == (message.card() == null)) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "The body has either text or a card: exactly one of them.");
        }
        if (message.card() != null && !message.card().actions().isEmpty()) {
            // A member's click on an action would reach nobody: the hook's sender has no channel back.
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "An incoming webhook's card has no actions: nothing would receive them.");
        }
        return message;
    }

    // ------------------------------------------------------------------ rules and secrets







    private static ChorusProblem notFound() {
        return ChorusProblem.notFound(IntegrationProblems.WEBHOOK_NOT_FOUND, "No such incoming webhook.");
    }

    static ChorusProblem tooLarge(int limit) {
        return new ChorusProblem(HttpStatus.CONTENT_TOO_LARGE, IntegrationProblems.PAYLOAD_TOO_LARGE,
                "The body may have at most " + limit + " bytes.");
    }
}
