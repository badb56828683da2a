package io.chorus.integration;

import io.chorus.chat.Card;
import io.chorus.chat.ConversationId;
import io.chorus.chat.MessageView;
import io.chorus.identity.CurrentUser;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Slash commands and interactive cards of bots. A bot registers {@code /name} and where to send
 * it; a member typing {@code /name text} in a conversation the bot belongs to has Chorus POST a
 * signed request there, and the bot's answer is posted into the conversation as the bot
 * ({@code in_channel}) or shown to the caller alone ({@code ephemeral}), at once or later
 * through a response URL. A bot's interactivity endpoint receives the actions members invoke on
 * its cards. Every request to a bot is signed (Standard Webhooks) with the secret of the
 * registration it goes to.
 */
public interface SlashCommands {

    record Command(UUID botId, String name, URI url, String description, String usageHint, Instant createdAt,
            Instant updatedAt) {
    }

    /** @param rotateSecret a new signing secret; the old one keeps signing beside it for the overlap */
    record CommandChange(String url, String description, String usageHint, boolean rotateSecret) {
    }

    /**
     * @param created whether this call made the registration
     * @param signingSecret only when the registration was made or its secret rotated: the one time anyone sees it
     */
    record Registered<T>(T registration, boolean created, String signingSecret) {
    }

    /** Where a bot receives its cards' actions. */
    record Interactivity(UUID botId, URI url, Instant createdAt, Instant updatedAt) {
    }

    /** Who sees a bot's answer. */
    enum ResponseType {
        /** Posted into the conversation as the bot, for everyone. */
        IN_CHANNEL("in_channel"),
        /** Only the member who typed the command sees it; nothing is stored. */
        EPHEMERAL("ephemeral"),
        /** The bot said nothing yet: it answers later through the response URL, if at all. */
        NONE("none");

        private final String wire;

        ResponseType(String wire) {
            this.wire = wire;
        }

        /** As the bots and the REST API write it. */
        public String wire() {
            return wire;
        }
    }

    /**
     * What came of a command: the bot's answer and, for {@code in_channel}, the messages posted.
     *
     * @param messages the text message, then the card, that were posted; empty unless {@code in_channel}
     */
    record Reply(UUID invocationId, String command, UUID botId, String botKey, ResponseType responseType,
            String text, Card card, List<MessageView> messages) {
    }

    /** A command a member may type in a conversation: its bot is a member there. */
    record Available(String name, UUID botId, String botKey, String description, String usageHint) {
    }

    Registered<Command> register(CurrentUser bot, String name, CommandChange change);

    List<Command> commands(CurrentUser bot);

    Command command(CurrentUser bot, String name);

    void unregister(CurrentUser bot, String name);

    Registered<Interactivity> registerInteractivity(CurrentUser bot, String url, boolean rotateSecret);

    Interactivity interactivity(CurrentUser bot);

    void unregisterInteractivity(CurrentUser bot);

    /** The commands of the conversation's bots, for a client's completion list; the caller must be a member. */
    List<Available> available(CurrentUser caller, ConversationId conversationId);

    /**
     * Runs the command a member typed ({@code /name text} or {@code /name@botkey text}) in a
     * conversation: sends it to the bot and waits for its answer until the deadline. The response
     * URL it hands the bot begins with the configured public address of Chorus, never with one the
     * request named (a member's Host header must not send the bot's later answer elsewhere).
     */
    Reply invoke(CurrentUser caller, ConversationId conversationId, String text);

    /**
     * A bot's later answer through a command's response URL ({@code /api/v1/command-responses/{token}}):
     * valid for a while and a few uses. {@code answer} is the JSON the bot sent,
     * {@code {responseType, text, card}}, read as a synchronous answer is; no responseType means ephemeral.
     */
    Reply respond(String token, byte[] answer);
}
