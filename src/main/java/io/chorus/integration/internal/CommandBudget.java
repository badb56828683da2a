package io.chorus.integration.internal;

import io.chorus.integration.internal.IntegrationLimits.Charge;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The budgets of slash commands, in the integrations' shared buckets. A member's commands to one
 * bot are charged before Chorus calls the bot, so a member who repeats a command as fast as they
 * can type costs the bot's endpoint a bounded number of requests. A bot's later answers through
 * response URLs are posts into the conversation and spend from the same budget as its REST posts.
 */
@Component
class CommandBudget {

    private final IntegrationLimits limits;
    private final IntegrationProperties.RateLimits properties;

    CommandBudget(IntegrationLimits limits, IntegrationProperties properties) {
        this.limits = limits;
        this.properties = properties.limits();
    }

    /** One command of {@code member} to {@code bot}; per member and bot, so one bot's spammer does not block another's. */
    void admitCommand(UUID member, UUID bot) {
        if (properties.enabled()) {
            limits.charge(List.of(new Charge("command:" + member + ":" + bot, properties.command(), "command",
                    "You have sent this bot too many commands; try again after Retry-After seconds.")));
        }
    }

    /**
     * One click of {@code member} on a card of {@code bot}: each costs the bot's endpoint a request,
     * like a command, so it spends from a bucket of the same size (its own: typing commands does
     * not use up clicks).
     */
    void admitCardAction(UUID member, UUID bot) {
        if (properties.enabled()) {
            limits.charge(List.of(new Charge("card-action:" + member + ":" + bot, properties.command(), "command",
                    "You have used this bot's cards too often; try again after Retry-After seconds.")));
        }
    }

    /** One later answer of {@code bot} into {@code conversation}: the bucket {@link RateLimitInterceptor} charges its posts to. */
    void admitAnswer(UUID bot, UUID conversation) {
        if (properties.enabled()) {
            limits.charge(List.of(new Charge(RateLimitInterceptor.conversationKey(bot, conversation),
                    properties.conversation(), "conversation",
                    "Too many posts into this conversation; try again after Retry-After seconds.")));
        }
    }
}
