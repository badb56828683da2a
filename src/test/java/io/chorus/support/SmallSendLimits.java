package io.chorus.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.TestPropertySource;

/**
 * Send limits small enough for a test to reach them on purpose: a budget of 6 sends per user
 * that refills only one a minute, one send stored at a time (a second waits 100 ms for the
 * slot, then is refused), a STOMP SEND refused after 200 ms in the queue, two sessions per
 * user. Every test class with these limits shares one running application.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@TestPropertySource(properties = {
        "chorus.chat.send-budget.rate=1", "chorus.chat.send-budget.period=1m", "chorus.chat.send-budget.burst=6",
        "chorus.chat.overload.max-concurrent-sends=1", "chorus.chat.overload.slot-wait=100ms",
        "chorus.chat.overload.max-queue-wait=200ms", "chorus.chat.overload.retry-after=1500ms",
        "chorus.chat.stomp.max-sessions-per-user=2"})
public @interface SmallSendLimits {

    /** {@code send-budget.burst}. */
    int BUDGET = 6;
    /** {@code max-queue-wait}, in milliseconds. */
    long MAX_QUEUE_WAIT_MS = 200;
    /** {@code retry-after}, in milliseconds; REST rounds it up to whole seconds. */
    long RETRY_AFTER_MS = 1500;
    int MAX_SESSIONS = 2;
}
