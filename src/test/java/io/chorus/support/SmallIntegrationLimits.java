package io.chorus.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.TestPropertySource;

/**
 * Integration rate limits small enough for a test to reach on purpose, refilled slowly enough
 * that no request is refilled by the time a test takes, only by moving the clock: 10 requests per
 * token (one more every 6 minutes), 2 of {@code GET /api/v1/org/users} (one more every 30), 3
 * posts per bot and conversation (one more every 10), 3 posts per incoming webhook and 3 commands
 * per member and bot (one more every 10). Every test class with these limits (and the adjustable
 * clock) shares one running application.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@TestPropertySource(properties = {
        "chorus.integration.limits.token=10/1h",
        "chorus.integration.limits.endpoint=100/1h",
        "chorus.integration.limits.endpoints[0].endpoint=GET /api/v1/org/users",
        "chorus.integration.limits.endpoints[0].limit=2/1h",
        "chorus.integration.limits.conversation=1/10m burst 3",
        "chorus.integration.limits.incoming-webhook=1/10m burst 3",
        "chorus.integration.limits.command=1/10m burst 3"})
public @interface SmallIntegrationLimits {

    int TOKEN = 10;
    int ORG_USERS = 2;
    int CONVERSATION = 3;
    int INCOMING_WEBHOOK = 3;
    int COMMAND = 3;
    /** How long the token's bucket takes to refill one request. */
    java.time.Duration TOKEN_REFILL = java.time.Duration.ofMinutes(6);
    java.time.Duration CONVERSATION_REFILL = java.time.Duration.ofMinutes(10);
    java.time.Duration INCOMING_WEBHOOK_REFILL = java.time.Duration.ofMinutes(10);
    java.time.Duration COMMAND_REFILL = java.time.Duration.ofMinutes(10);
}
