package io.chorus.audit.internal;

import io.chorus.integration.IntegrationEvents;
import java.util.List;
import java.util.UUID;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Every change to a bot, its tokens, its slash commands, an incoming webhook or an outgoing
 * webhook subscription, by whom: who let which system act in Chorus, with what rights, and where
 * Chorus sends what. Never a secret: ids, names, addresses and times only.
 */
@Component
class IntegrationActivity {

    static final String BOT = "BOT";
    static final String INCOMING_WEBHOOK = "INCOMING_WEBHOOK";
    static final String WEBHOOK_SUBSCRIPTION = "WEBHOOK_SUBSCRIPTION";

    private final ActivityLog log;

    IntegrationActivity(ActivityLog log) {
        this.log = log;
    }

    @ApplicationModuleListener
    void on(IntegrationEvents.BotCreated e) {
        log.record(Activity.of("bot.created", e).at(e.at()).by(e.by()).target(BOT, e.botId())
                .detail("key", e.key()).detail("displayName", e.displayName()).detail("ownerId", e.owner()));
    }

    @ApplicationModuleListener
    void on(IntegrationEvents.BotChanged e) {
        log.record(Activity.of("bot.changed", e).at(e.at()).by(e.by()).target(BOT, e.botId())
                .detail("displayName", e.displayName()).detail("avatarUrl", e.avatarUrl())
                .detail("ownerId", e.owner()).detail("disabled", e.disabled()));
    }

    /** The token's id and first characters, never the token. */
    @ApplicationModuleListener
    void on(IntegrationEvents.TokenIssued e) {
        log.record(Activity.of(e.rotatedFrom() == null ? "bot.token_issued" : "bot.token_rotated", e).at(e.at())
                .by(e.by()).target(BOT, e.botId()).detail("tokenId", e.tokenId().toString())
                .detail("name", e.name()).detail("hint", e.hint()).detail("scopes", String.join(" ", e.scopes()))
                .detail("expiresAt", e.expiresAt().toString())
                .detail("rotatedFrom", e.rotatedFrom() == null ? null : e.rotatedFrom().toString()));
    }

    @ApplicationModuleListener
    void on(IntegrationEvents.TokenRevoked e) {
        log.record(Activity.of("bot.token_revoked", e).at(e.at()).by(e.by()).target(BOT, e.botId())
                .detail("tokenId", e.tokenId().toString()));
    }

    @ApplicationModuleListener
    void on(IntegrationEvents.IncomingWebhookCreated e) {
        log.record(Activity.of("incoming_webhook.created", e).at(e.at()).by(e.by()).target(INCOMING_WEBHOOK, e.hookId())
                .conversation(e.conversationId()).detail("name", e.name()).detail("botId", e.botId().toString()));
    }

    @ApplicationModuleListener
    void on(IntegrationEvents.IncomingWebhookRotated e) {
        log.record(Activity.of("incoming_webhook.rotated", e).at(e.at()).by(e.by()).target(INCOMING_WEBHOOK, e.hookId())
                .conversation(e.conversationId()).detail("previousValidUntil", e.previousValidUntil().toString()));
    }

    @ApplicationModuleListener
    void on(IntegrationEvents.IncomingWebhookDeleted e) {
        log.record(Activity.of("incoming_webhook.deleted", e).at(e.at()).by(e.by()).target(INCOMING_WEBHOOK, e.hookId())
                .conversation(e.conversationId()).detail("botId", e.botId().toString()));
    }

    /** A slash command, or the interactivity endpoint (no name), registered or changed; never its secret. */
    @ApplicationModuleListener
    void on(IntegrationEvents.CommandRegistered e) {
        String what = e.name() == null ? "bot.interactivity" : "bot.command";
        log.record(Activity.of(what + (e.created() ? "_registered" : "_changed"), e).at(e.at()).by(e.by())
                .target(BOT, e.botId()).detail("name", e.name()).detail("url", e.url())
                .detail("secretIssued", e.secretIssued()));
    }

    @ApplicationModuleListener
    void on(IntegrationEvents.CommandUnregistered e) {
        String what = e.name() == null ? "bot.interactivity_removed" : "bot.command_removed";
        log.record(Activity.of(what, e).at(e.at()).by(e.by()).target(BOT, e.botId()).detail("name", e.name()));
    }

    @ApplicationModuleListener
    void on(IntegrationEvents.SubscriptionCreated e) {
        log.record(Activity.of("webhook_subscription.created", e).at(e.at()).by(e.ownerId())
                .target(WEBHOOK_SUBSCRIPTION, e.subscriptionId()).detail("ownerId", e.ownerId().toString())
                .detail("url", e.url()).detail("eventTypes", String.join(" ", e.eventTypes()))
                .detail("conversationIds", ids(e.conversationIds())).detail("description", e.description()));
    }

    /** Switched on or off (by its owner, or by Chorus after a 410 Gone: no actor), or otherwise changed. */
    @ApplicationModuleListener
    void on(IntegrationEvents.SubscriptionChanged e) {
        String action = e.enabled() == e.wasEnabled() ? "webhook_subscription.changed"
                : e.enabled() ? "webhook_subscription.enabled" : "webhook_subscription.disabled";
        log.record(Activity.of(action, e).at(e.at()).by(e.by()).target(WEBHOOK_SUBSCRIPTION, e.subscriptionId())
                .detail("ownerId", e.ownerId().toString()).detail("url", e.url())
                .detail("eventTypes", String.join(" ", e.eventTypes()))
                .detail("conversationIds", ids(e.conversationIds())).detail("description", e.description())
                .detail("enabled", e.enabled()).detail("disabledReason", e.disabledReason()));
    }

    @ApplicationModuleListener
    void on(IntegrationEvents.SubscriptionDeleted e) {
        log.record(Activity.of("webhook_subscription.deleted", e).at(e.at()).by(e.by())
                .target(WEBHOOK_SUBSCRIPTION, e.subscriptionId()).detail("ownerId", e.ownerId().toString())
                .detail("url", e.url()));
    }

    @ApplicationModuleListener
    void on(IntegrationEvents.SubscriptionSecretRotated e) {
        log.record(Activity.of("webhook_subscription.secret_rotated", e).at(e.at()).by(e.by())
                .target(WEBHOOK_SUBSCRIPTION, e.subscriptionId()).detail("ownerId", e.ownerId().toString())
                .detail("previousValidUntil", e.previousValidUntil().toString()));
    }

    @ApplicationModuleListener
    void on(IntegrationEvents.SubscriptionReplayRequested e) {
        log.record(Activity.of("webhook_subscription.replay_requested", e).at(e.at()).by(e.by())
                .target(WEBHOOK_SUBSCRIPTION, e.subscriptionId()).detail("ownerId", e.ownerId().toString())
                .detail("deliveryId", e.deliveryId() == null ? null : e.deliveryId().toString())
                .detail("replayId", e.replayId() == null ? null : e.replayId().toString())
                .detail("from", e.from() == null ? null : e.from().toString())
                .detail("to", e.to() == null ? null : e.to().toString()).detail("count", e.count()));
    }

    private static String ids(List<UUID> ids) {
        return ids.isEmpty() ? null : String.join(" ", ids.stream().map(Object::toString).toList());
    }
}
