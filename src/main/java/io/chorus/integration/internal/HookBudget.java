package io.chorus.integration.internal;

import io.chorus.integration.internal.IntegrationLimits.Charge;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Each incoming webhook's own budget ({@code chorus.integration.limits.incoming-webhook}), in the
 * integrations' shared buckets: a sending system that loops posts a burst and then is refused,
 * instead of flooding its group. Per hook rather than per sender address, because the hook is
 * what the URL or the signature authenticated; a rotated hook keeps its budget.
 */
@Component
class HookBudget {

    private final IntegrationLimits limits;
    private final IntegrationProperties.RateLimits properties;

    HookBudget(IntegrationLimits limits, IntegrationProperties properties) {
        this.limits = limits;
        this.properties = properties.limits();
    }

    /**
     * Called once a delivery is authenticated and before anything is parsed or posted; throws the
     * refusal ({@code 429 RATE_LIMITED} with Retry-After) when the hook is over its budget.
     */
    void admit(UUID hookId) {
        if (!properties.enabled()) {
            return;
        }
        limits.charge(List.of(new Charge("incoming-webhook:" + hookId, properties.incomingWebhook(),
                "incoming_webhook", "This incoming webhook has posted too often; try again after Retry-After seconds.")));
    }
}
