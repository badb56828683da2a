package io.chorus.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.TestPropertySource;

/**
 * Integration rate limits small enough for a test to reach on purpose, refilled slowly enough
 * that no request is refilled by the time a test takes, only by moving the clock: 10 requests per
 * token (one more each minute), 2 of {@code GET /api/v1/org/users}, 3 posts per bot and
 * conversation (one more each minute). Every test class with these limits (and the adjustable
 * clock) shares one running application.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@TestPropertySource(properties = {
        "chorus.integration.limits.token=10/10m",
        "chorus.integration.limits.endpoint=100/10m",
        "chorus.integration.limits.endpoints[0].endpoint=GET /api/v1/org/users",
        "chorus.integration.limits.endpoints[0].limit=2/10m",
        "chorus.integration.limits.conversation=1/1m burst 3"})
public @interface SmallIntegrationLimits {

    int TOKEN = 10;
    int ORG_USERS = 2;
    int CONVERSATION = 3;
}
