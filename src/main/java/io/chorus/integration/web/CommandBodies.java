package io.chorus.integration.web;

import io.chorus.chat.Card;
import io.chorus.chat.MessageView;
import io.chorus.integration.SlashCommands;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Slash commands and interactivity endpoints as the API shows them: a signing secret only in the response that made it. */
final class CommandBodies {

    private CommandBodies() {
    }

    /** @param signingSecret only when this response created the registration or rotated its secret */
    record CommandBody(String name, URI url, String description, String usageHint, Instant createdAt,
            Instant updatedAt, String signingSecret) {

        static CommandBody of(SlashCommands.Command command, String secret) {
            return new CommandBody(command.name(), command.url(), command.description(), command.usageHint(),
                    command.createdAt(), command.updatedAt(), secret);
        }
    }

    record InteractivityBody(URI url, Instant createdAt, Instant updatedAt, String signingSecret) {

        static InteractivityBody of(SlashCommands.Interactivity endpoint, String secret) {
            return new InteractivityBody(endpoint.url(), endpoint.createdAt(), endpoint.updatedAt(), secret);
        }
    }

    /** @param responseType {@code in_channel}, {@code ephemeral} or {@code none} */
    record ReplyBody(UUID invocationId, String command, UUID botId, String botKey, String responseType, String text,
            Card card, List<MessageView> messages) {

        static ReplyBody of(SlashCommands.Reply reply) {
            return new ReplyBody(reply.invocationId(), reply.command(), reply.botId(), reply.botKey(),
                    reply.responseType().wire(), reply.text(), reply.card(), reply.messages());
        }
    }
}
