package io.chorus.integration.internal;

import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * No budget per hook yet: every authenticated delivery is admitted. Chat's own send budget and
 * overload protection still apply to the post. To be replaced by the integration rate limits.
 */
@Component
class UnlimitedHooks implements HookLimits {

    @Override
    public void admit(UUID hookId) {
        // admitted
    }
}
