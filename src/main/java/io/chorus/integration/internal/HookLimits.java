package io.chorus.integration.internal;

import java.util.UUID;

/**
 * The one place a delivery to an incoming webhook asks for room in its hook's rate budget,
 * after it is authenticated and before anything is parsed or posted. Throws the refusal
 * ({@code 429 RATE_LIMITED} with Retry-After) when the hook is over its budget.
 */
interface HookLimits {

    void admit(UUID hookId);
}
