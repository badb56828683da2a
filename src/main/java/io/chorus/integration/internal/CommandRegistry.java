package io.chorus.integration.internal;

import io.chorus.chat.ChatProblems;
import io.chorus.chat.Cards;
import io.chorus.chat.ConversationId;
import io.chorus.chat.ConversationView;
import io.chorus.chat.Conversations;
import io.chorus.chat.LiveDelivery;
import io.chorus.chat.LiveEvent;
import io.chorus.chat.MessageView;
import io.chorus.chat.Messages;
import io.chorus.chat.PostCard;
import io.chorus.chat.SendMessage;
import io.chorus.identity.CurrentUser;
import io.chorus.identity.UserId;
import io.chorus.integration.Bots;
import io.chorus.integration.IntegrationEvents;
import io.chorus.integration.IntegrationProblems;
import io.chorus.integration.SlashCommands;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link SlashCommands}: registrations by bots, and running a typed command. Running one never
 * holds a transaction while the bot is called: the response URL is stored first (so the bot may
 * use it at once), then the bot is called, then its answer is posted through chat like any message.
 */
@Service
class CommandRegistry implements SlashCommands {

    static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,32}");
    /** {@code /name}, optionally {@code @botkey}, then the command's text after white space. */
    private static final Pattern TYPED = Pattern.compile("/([a-z0-9-]{1,32})(?:@([a-z][a-z0-9-]{1,39}))?(?:\\s+(.*))?",
            Pattern.DOTALL);
    private static final String RESPONSE_PATH = "/api/v1/command-responses/";
    private static final String RESPONSE_TOKEN_PREFIX = "chorus_cmd_";
    private static final int MAX_URL = 2000;
    private static final int MAX_DESCRIPTION = 200;
    private static final int MAX_USAGE_HINT = 100;

    private final CommandStore store;
    private final BotStore bots;
    private final Bots botStatus;
    private final Conversations conversations;
    private final Messages messages;
    private final Cards cards;
    private final BotCalls calls;
    private final CommandBudget budget;
    private final IntegrationProperties.Commands properties;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    CommandRegistry(CommandStore store, BotStore bots, Bots botStatus, Conversations conversations, Messages messages,
            Cards cards, BotCalls calls, CommandBudget budget, IntegrationProperties properties, JsonMapper json,
            ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.bots = bots;
        this.botStatus = botStatus;
        this.conversations = conversations;
        this.messages = messages;
        this.cards = cards;
        this.calls = calls;
        this.budget = budget;
        this.properties = properties.commands();
        this.json = json;
        this.events = events;
        this.clock = clock;
    }

    // --- registrations, by the bot itself

    @Override
    @Transactional
    public Registered<Command> register(CurrentUser caller, String name, CommandChange change) {
        // The bot's row, locked: concurrent registrations of one bot queue, so the count holds.
        UUID bot = lockedBot(caller);
        if (name == null || !NAME.matcher(name).matches()) {
            throw invalid("A command name is 1 to 32 lower-case letters, digits and dashes.");
        }
        URI url = url(change.url());
        String description = line("description", change.description(), MAX_DESCRIPTION);
        String usageHint = line("usageHint", change.usageHint(), MAX_USAGE_HINT);
        Optional<Command> existing = store.command(bot, name);
        if (existing.isEmpty() && store.count(bot) >= properties.maxCommandsPerBot()) {
            throw ChorusProblem.unprocessable(ProblemCodes.VALIDATION_FAILED,
                    "A bot registers at most " + properties.maxCommandsPerBot() + " commands.");
        }
        Instant now = clock.instant();
        boolean created = existing.isEmpty();
        String secret = created || change.rotateSecret() ? WebhookSignatures.newSecret() : null;
        Command command = new Command(bot, name, url, description, usageHint,
                existing.map(Command::createdAt).orElse(now), now);
        store.saveCommand(command, secret, created ? null : now.plus(properties.secretOverlap()));
        events.publishEvent(new IntegrationEvents.CommandRegistered(bot, name, url.toString(), created,
                secret != null, caller.id(), now));
        return new Registered<>(command, created, secret);
    }

    @Override
    @Transactional(readOnly = true)
    public List<Command> commands(CurrentUser caller) {
        return store.commands(bot(caller));
    }

    @Override
    @Transactional(readOnly = true)
    public Command command(CurrentUser caller, String name) {
        return store.command(bot(caller), name).orElseThrow(() -> notFound(name));
    }

    @Override
    @Transactional
    public void unregister(CurrentUser caller, String name) {
        UUID bot = lockedBot(caller);
        if (!store.deleteCommand(bot, name)) {
            throw notFound(name);
        }
        events.publishEvent(new IntegrationEvents.CommandUnregistered(bot, name, caller.id(), clock.instant()));
    }

    @Override
    @Transactional
    public Registered<Interactivity> registerInteractivity(CurrentUser caller, String url, boolean rotateSecret) {
        UUID bot = lockedBot(caller);
        URI target = url(url);
        Optional<Interactivity> existing = store.interactivity(bot);
        Instant now = clock.instant();
        boolean created = existing.isEmpty();
        String secret = created || rotateSecret ? WebhookSignatures.newSecret() : null;
        Interactivity endpoint = new Interactivity(bot, target, existing.map(Interactivity::createdAt).orElse(now), now);
        store.saveInteractivity(endpoint, secret, created ? null : now.plus(properties.secretOverlap()));
        events.publishEvent(new IntegrationEvents.CommandRegistered(bot, null, target.toString(), created,
                secret != null, caller.id(), now));
        return new Registered<>(endpoint, created, secret);
    }

    @Override
    @Transactional(readOnly = true)
    public Interactivity interactivity(CurrentUser caller) {
        return store.interactivity(bot(caller)).orElseThrow(CommandRegistry::noInteractivity);
    }

    @Override
    @Transactional
    public void unregisterInteractivity(CurrentUser caller) {
        UUID bot = lockedBot(caller);
        if (!store.deleteInteractivity(bot)) {
            throw noInteractivity();
        }
        events.publishEvent(new IntegrationEvents.CommandUnregistered(bot, null, caller.id(), clock.instant()));
    }

    // --- running a command, for a member

    @Override
    public List<Available> available(CurrentUser caller, ConversationId conversationId) {
        conversations.get(caller.id(), conversationId);
        List<UUID> here = conversations.membersAmong(conversationId, store.botsWithCommands()).stream()
                .filter(botStatus::active).toList();
        return here.isEmpty() ? List.of() : store.available(here);
    }

    @Override
    public Reply invoke(CurrentUser caller, ConversationId conversationId, String text) {
        Matcher typed = text == null ? null : TYPED.matcher(text.strip());
        if (typed == null || !typed.matches()) {
            throw invalid("A command is /name, or /name@botkey, then its text: /customer ACME.");
        }
        String name = typed.group(1);
        String argument = typed.group(3) == null ? "" : typed.group(3).strip();
        if (argument.length() > SendMessage.MAX_TEXT_LENGTH) {
            throw invalid("A command's text has at most " + SendMessage.MAX_TEXT_LENGTH + " characters.");
        }
        ConversationView conversation = conversations.get(caller.id(), conversationId);
        if (conversation.archived()) {
            throw ChorusProblem.conflict(ChatProblems.CONVERSATION_ARCHIVED,
                    "This conversation is archived: commands cannot answer into it.");
        }
        CommandStore.Target target = target(conversationId, name, typed.group(2));
        // Before anything is stored or sent: a refused command costs the bot nothing.
        budget.admitCommand(caller.id().value(), target.botId());

        UUID invocation = UUID.randomUUID();
        Instant now = clock.instant();
        String token = Secrets.random(RESPONSE_TOKEN_PREFIX);
        store.saveResponse(Secrets.sha256(token), invocation, target, conversationId.value(), caller.id().value(), now,
                now.plus(properties.responseUrlLifetime()));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "command");
        payload.put("id", invocation.toString());
        payload.put("command", "/" + name);
        payload.put("text", argument);
        payload.put("userId", caller.id().value().toString());
        payload.put("username", caller.username());
        payload.put("conversationId", conversationId.value().toString());
        payload.put("responseUrl", properties.publicBaseUrl().toString().replaceAll("/+$", "")
                + RESPONSE_PATH + token);
        payload.put("issuedAt", now.toString());
        BotCalls.Answer answer = calls.call(target.url(), target.signing().valid(now), invocation.toString(), now,
                json.writeValueAsBytes(payload), properties.deadline());

        String shown = "/" + name + "@" + target.botKey();
        if (answer.timedOut()) {
            throw new ChorusProblem(HttpStatus.GATEWAY_TIMEOUT, IntegrationProblems.COMMAND_TIMEOUT,
                    shown + " did not answer within " + properties.deadline().toMillis()
                            + " ms. It may still answer later; nothing was posted.");
        }
        if (!answer.succeeded()) {
            throw failed(shown + " failed: " + answer.failure() + ". Nothing was posted.");
        }
        BotAnswer reply;
        try {
            reply = BotAnswer.parse(json, answer.result().body());
        } catch (BotAnswer.Unacceptable unacceptable) {
            throw failed(shown + " answered something Chorus cannot show: " + unacceptable.getMessage());
        }
        return deliver(invocation, target.name(), target.botId(), target.botKey(), conversationId,
                "cmd-" + invocation, reply, null);
    }

    @Override
    public Reply respond(String token, byte[] body) {
        BotAnswer answer;
        try {
            answer = BotAnswer.parse(json, body);
        } catch (BotAnswer.Unacceptable unacceptable) {
            throw BotAnswer.badRequest(unacceptable);
        }
        if (answer.responseType() == ResponseType.NONE) {
            throw invalid("A later answer has text, a card or both.");
        }
        CommandStore.Pending pending = token == null || !token.startsWith(RESPONSE_TOKEN_PREFIX) ? null
                : store.useResponse(Secrets.sha256(token), clock.instant(), properties.responseUrlUses()).orElse(null);
        if (pending == null || !botStatus.active(pending.botId())) {
            throw ChorusProblem.notFound(IntegrationProblems.RESPONSE_URL_NOT_FOUND,
                    "No such response URL, or it expired, or it was used " + properties.responseUrlUses() + " times.");
        }
        try {
            budget.admitAnswer(pending.botId(), pending.conversationId());
        } catch (ChorusProblem refused) {
            // A refused answer changes nothing: the URL keeps the use for the bot's retry.
            store.returnUse(Secrets.sha256(token));
            throw refused;
        }
        return deliver(pending.invocationId(), pending.command(), pending.botId(), pending.botKey(),
                ConversationId.of(pending.conversationId()), "cmd-" + pending.invocationId() + "-" + pending.use(),
                answer, pending.callerId());
    }

    /**
     * Shows the bot's answer: posted as the bot for everyone, or to the caller alone.
     *
     * @param liveCaller who receives an ephemeral answer live (a later answer); null when the
     *     answer goes back in the caller's own REST response instead
     */
    private Reply deliver(UUID invocation, String command, UUID bot, String botKey, ConversationId conversationId,
            String clientMessageId, BotAnswer answer, UUID liveCaller) {
        List<MessageView> posted = new ArrayList<>();
        UserId sender = UserId.of(bot);
        if (answer.responseType() == ResponseType.IN_CHANNEL) {
            if (answer.text() != null) {
                posted.add(messages.send(new SendMessage(conversationId, sender, clientMessageId, answer.text(), null))
                        .message());
            }
            if (answer.card() != null) {
                posted.add(cards.post(new PostCard(conversationId, sender, clientMessageId + "-card", answer.card())));
            }
        } else if (answer.responseType() == ResponseType.EPHEMERAL && liveCaller != null
                && !conversations.membersAmong(conversationId, List.of(liveCaller)).isEmpty()) {
            events.publishEvent(LiveDelivery.toUsers(conversationId.value(), List.of(liveCaller),
                    new LiveEvent.CommandResponse(conversationId.value(), bot, "/" + command, answer.text(),
                            answer.card())));
        }
        return new Reply(invocation, "/" + command, bot, botKey, answer.responseType(), answer.text(), answer.card(),
                List.copyOf(posted));
    }

    /** The one bot of the conversation that has the command, or why there is none. */
    private CommandStore.Target target(ConversationId conversationId, String name, String botKey) {
        List<CommandStore.Target> registered = store.targets(name).stream()
                .filter(target -> botKey == null || target.botKey().equals(botKey))
                .toList();
        List<UUID> present = conversations.membersAmong(conversationId,
                registered.stream().map(CommandStore.Target::botId).toList());
        List<CommandStore.Target> here = registered.stream()
                .filter(target -> present.contains(target.botId()) && botStatus.active(target.botId()))
                .toList();
        if (here.isEmpty()) {
            throw ChorusProblem.notFound(IntegrationProblems.COMMAND_NOT_FOUND,
                    "No bot in this conversation has /" + name + (botKey == null ? "" : "@" + botKey) + ".");
        }
        if (here.size() > 1) {
            throw ChorusProblem.conflict(IntegrationProblems.COMMAND_AMBIGUOUS,
                    "Several bots in this conversation have /" + name + "; say which: " + here.stream()
                            .map(target -> "/" + name + "@" + target.botKey()).collect(Collectors.joining(", "))
                            + ".");
        }
        return here.getFirst();
    }

    private UUID bot(CurrentUser caller) {
        return bots.find(caller.id().value()).map(Bots.Bot::id).orElseThrow(CommandRegistry::botRequired);
    }

    private UUID lockedBot(CurrentUser caller) {
        return bots.findForUpdate(caller.id().value()).map(Bots.Bot::id).orElseThrow(CommandRegistry::botRequired);
    }

    private static URI url(String url) {
        if (url == null || url.isBlank() || url.length() > MAX_URL) {
            throw invalid("url is an http(s) address of at most " + MAX_URL + " characters.");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw invalid("url is not a valid address: " + e.getReason() + ".");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null) {
            // Whether this host may be called is decided at each call (SSRF rules may change); only its shape here.
            throw invalid("url is an absolute https address with a host name, without user info or fragment.");
        }
        return uri;
    }

    private static String line(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String stripped = value.strip();
        if (stripped.length() > max || stripped.chars().anyMatch(Character::isISOControl)) {
            throw invalid(field + " is one line of at most " + max + " characters.");
        }
        return stripped;
    }


    private static ChorusProblem invalid(String detail) {
        return ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, detail);
    }

    private static ChorusProblem failed(String detail) {
        return new ChorusProblem(HttpStatus.BAD_GATEWAY, IntegrationProblems.COMMAND_FAILED, detail);
    }

    private static ChorusProblem notFound(String name) {
        return ChorusProblem.notFound(IntegrationProblems.COMMAND_NOT_FOUND, "This bot has no command /" + name + ".");
    }

    private static ChorusProblem noInteractivity() {
        return ChorusProblem.notFound(IntegrationProblems.INTERACTIVITY_NOT_FOUND,
                "This bot has no interactivity endpoint.");
    }

    private static ChorusProblem botRequired() {
        return ChorusProblem.forbidden(IntegrationProblems.BOT_REQUIRED,
                "Only a bot registers slash commands and interactivity endpoints, with its own token.");
    }
}
