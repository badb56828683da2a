package io.chorus.integration.internal;

import io.chorus.chat.Card;
import io.chorus.chat.SendMessage;
import io.chorus.integration.SlashCommands.ResponseType;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a bot answered to a command or a card action: {@code {responseType, text, card}}, checked
 * by chat's own rules for text and cards. {@code responseType} absent means ephemeral when there
 * is something to show, none when there is not.
 */
record BotAnswer(ResponseType responseType, String text, Card card) {

    /** Why an answer was refused; the caller turns it into its own problem. */
    static final class Unacceptable extends RuntimeException {
        Unacceptable(String message) {
            super(message, null, false, false);
        }
    }

    static BotAnswer of(String responseType, String text, Card card) {
        String checkedText;
        try {
            checkedText = text == null ? null : SendMessage.validText(text);
        } catch (ChorusProblem invalid) {
            throw new Unacceptable(invalid.getMessage());
        }
        boolean something = checkedText != null || card != null;
        if (responseType == null) {
            return new BotAnswer(something ? ResponseType.EPHEMERAL : ResponseType.NONE, checkedText, card);
        }
        ResponseType type = switch (responseType) {
            case "in_channel" -> ResponseType.IN_CHANNEL;
            case "ephemeral" -> ResponseType.EPHEMERAL;
            default -> throw new Unacceptable("responseType is in_channel or ephemeral, not '" + responseType + "'.");
        };
        if (!something) {
            throw new Unacceptable("An " + responseType + " answer has text, a card or both.");
        }
        return new BotAnswer(type, checkedText, card);
    }

    /** An empty body is an acknowledgement with nothing to show. */
    static BotAnswer parse(JsonMapper json, byte[] body) {
        if (body == null || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return new BotAnswer(ResponseType.NONE, null, null);
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException notJson) {
            throw new Unacceptable("The answer is not JSON.");
        }
        if (root == null || !root.isObject()) {
            throw new Unacceptable("The answer is not a JSON object.");
        }
        return of(string(root, "responseType"), string(root, "text"), card(json, root));
    }

    /** Just the card of an answer, if it has one (a card action's answer replaces the card). */
    static Card cardOf(JsonMapper json, byte[] body) {
        if (body == null || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return null;
        }
        try {
            JsonNode root = json.readTree(body);
            return root != null && root.isObject() ? card(json, root) : null;
        } catch (JacksonException notJson) {
            throw new Unacceptable("The answer is not JSON.");
        }
    }

    private static String string(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new Unacceptable(field + " is a string.");
        }
        return node.asString();
    }

    private static Card card(JsonMapper json, JsonNode root) {
        JsonNode node = root.get("card");
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            Card card = json.treeToValue(node, Card.class);
            if (card.callsApi()) {
                throw new Unacceptable("The card is not valid: " + Card.callsApiRefused().getMessage());
            }
            return card;
        } catch (JacksonException invalid) {
            // The card's own rules throw a ChorusProblem naming the field; Jackson wraps it.
            for (Throwable cause = invalid; cause != null; cause = cause.getCause()) {
                if (cause instanceof ChorusProblem problem) {
                    throw new Unacceptable("The card is not valid: " + problem.getMessage());
                }
            }
            throw new Unacceptable("The card is not valid: " + invalid.getOriginalMessage());
        }
    }

    static ChorusProblem badRequest(Unacceptable unacceptable) {
        return ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, unacceptable.getMessage());
    }
}
