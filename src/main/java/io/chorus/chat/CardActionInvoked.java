package io.chorus.chat;

import io.chorus.identity.UserId;

/**
 * A member invoked an action of a card over STOMP. Published synchronously, in no transaction
 * and not through the event publication registry: the module that posted the card handles it
 * with a plain {@code @EventListener} while the member waits, and may refuse it by throwing a
 * {@code ChorusProblem}, which reaches the member as the usual error event for that SEND. Chat
 * has already checked that the actor is a member, that the message is a card in the
 * conversation and that its current version has the action, and that {@code input} fits the
 * action's input; what the action means is up to the poster. With no listener nothing happens.
 *
 * @param cardSender who posted the card: a listener handles only its own cards
 * @param value the action's value as the card carries it (opaque to chat)
 * @param input the text the member typed, stripped, or null when none
 */
public record CardActionInvoked(UserId actor, ConversationId conversationId, long messageId, UserId cardSender,
        String actionId, String value, String input) {
}
