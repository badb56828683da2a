package io.chorus.integration;

import io.chorus.chat.ConversationId;
import io.chorus.identity.CurrentUser;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Incoming webhooks: a URL per group conversation that an outside system (CI, monitoring, a
 * form) posts text or a card to, as a named bot member of the group. The group's owner and
 * admins make, list, rotate and delete them. A post is authenticated by the secret in its URL or
 * by a Standard Webhooks signature; the URL and the signing secret are shown once, when made or
 * rotated, and after a rotation the previous ones keep working for an overlap.
 */
public interface IncomingWebhooks {

    /**
     * @param previousValidUntil until when the URL and signing secret before the last rotation still work, or null
     */
    record Hook(UUID id, UUID conversationId, UUID botId, String name, String avatarUrl, UUID createdBy,
            Instant createdAt, Instant rotatedAt, Instant previousValidUntil) {
    }

    /** A hook just made or rotated, with its secrets: this is the only time anyone sees them. */
    record Issued(Hook hook, String pathSecret, String signingSecret) {
    }

    record NewHook(String name, String avatarUrl) {
    }

    /**
     * What arrived at a hook's URL, unparsed: the body exactly as sent (signatures cover its bytes).
     *
     * @param pathSecret the secret of the URL it was posted to, or null when it relies on a signature
     */
    record Delivery(UUID hookId, String pathSecret, String webhookId, String timestamp, String signature,
            byte[] body) {
    }

    /** The message a delivery posted; {@code duplicate} when an earlier delivery of the same webhook-id had. */
    record Posted(long messageId, UUID conversationId, long seq, boolean duplicate) {
    }

    Issued create(CurrentUser caller, ConversationId conversation, NewHook hook);

    /** The group's live hooks, for its owner and admins. */
    List<Hook> list(CurrentUser caller, ConversationId conversation);

    /** New URL and signing secret; the previous ones work for the configured overlap (a rotation during one ends it). */
    Issued rotate(CurrentUser caller, ConversationId conversation, UUID hookId);

    /** Effective at once: the hook's bot leaves the group, its URL answers 404. */
    void delete(CurrentUser caller, ConversationId conversation, UUID hookId);

    /** Authenticates a delivery, then posts its text or card into the hook's group as the hook's bot. */
    Posted receive(Delivery delivery);

    /** The largest body {@link #receive} accepts: the edge reads no more than one byte past it. */
    int maxBodyBytes();
}
