package io.chorus.chat;

import java.util.Collection;
import java.util.Set;
import java.util.UUID;

/**
 * A live event and who should receive it, published (in process, never stored) by the change
 * that produced it, while its transaction runs. Whatever delivers live events (the STOMP edge)
 * sends it only once that transaction has committed, and nothing at all if it rolls back.
 *
 * <p>Events of a conversation reach each session in the order they were published; a change
 * that draws a seq or otherwise writes the conversation's row publishes while it holds that
 * row's lock, so this order is the order of the changes (for messages: seq order). Users
 * without an open session are skipped; they catch up by seq.
 *
 * @param conversationId the conversation the event belongs to, or null for one outside any
 *        conversation (presence), which has no order relative to other events
 * @param toMembers whether the conversation's members (as they are right after the commit)
 *        receive it
 * @param users who else receives it (a member just removed, say)
 */
public record LiveDelivery(UUID conversationId, LiveEvent event, boolean toMembers, Set<UUID> users) {

    public LiveDelivery {
        users = Set.copyOf(users);
    }

    /** To every member of the conversation as it is once the change commits. */
    public static LiveDelivery toMembers(UUID conversationId, LiveEvent event) {
        return new LiveDelivery(conversationId, event, true, Set.of());
    }

    /** To the members and to {@code user}, who no longer is one. */
    public static LiveDelivery toMembersAnd(UUID conversationId, UUID user, LiveEvent event) {
        return new LiveDelivery(conversationId, event, true, Set.of(user));
    }

    /** To these users only, in the conversation's order. */
    public static LiveDelivery toUsers(UUID conversationId, Collection<UUID> users, LiveEvent event) {
        return new LiveDelivery(conversationId, event, false, Set.copyOf(users));
    }

    /** To these users, outside any conversation's order. */
    public static LiveDelivery outsideConversations(Collection<UUID> users, LiveEvent event) {
        return new LiveDelivery(null, event, false, Set.copyOf(users));
    }
}
