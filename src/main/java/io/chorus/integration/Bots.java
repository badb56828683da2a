package io.chorus.integration;

import io.chorus.identity.CurrentUser;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Bots and their API tokens, managed by org_admins and by each bot's owner. A bot is a user
 * account (kind BOT) that members add to conversations; its tokens are scoped, expire, are
 * stored only as hashes and shown once. Someone who may not see a bot gets 404 for it.
 */
public interface Bots {

    record Bot(UUID id, String key, String displayName, String avatarUrl, UUID ownerId, Instant createdAt,
            boolean disabled) {
    }

    record Token(UUID id, UUID botId, String name, String hint, Set<String> scopes, Instant createdAt,
            Instant expiresAt, Instant revokedAt, Instant lastUsedAt, UUID rotatedTo) {
    }

    /** A token just made: {@code secret} is the only time anyone sees it. */
    record Issued(String secret, Token token) {
    }

    /** @param ownerId null: the caller owns it */
    record NewBot(String key, String displayName, String avatarUrl, UUID ownerId) {
    }

    /** Null fields stay as they are; only an org_admin hands a bot to another owner. */
    record BotChange(String displayName, String avatarUrl, UUID ownerId, Boolean disabled) {
    }

    /** @param lifetime null: the configured default */
    record NewToken(String name, Set<String> scopes, Duration lifetime) {
    }

    Bot create(CurrentUser caller, NewBot bot);

    /** All bots for an org_admin, one's own for everyone else. */
    List<Bot> list(CurrentUser caller);

    Bot get(CurrentUser caller, UUID botId);

    Bot change(CurrentUser caller, UUID botId, BotChange change);

    Issued issue(CurrentUser caller, UUID botId, NewToken token);

    List<Token> tokens(CurrentUser caller, UUID botId);

    /** A new token with the same name, scopes and lifetime; the old one keeps working for the overlap, then expires. */
    Issued rotate(CurrentUser caller, UUID botId, UUID tokenId);

    /** Effective at once; revoking a revoked token changes nothing. */
    void revoke(CurrentUser caller, UUID botId, UUID tokenId);

    /** Whether the bot may act now: it exists, is not switched off, and its owner is active. */
    boolean active(UUID botId);
}
