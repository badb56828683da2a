package io.chorus.chat.internal;

import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * A send refused before it was processed, with a hint of when to try again: over the user's
 * budget ({@code 429 RATE_LIMITED}) or past the node's capacity ({@code 503 OVERLOADED}).
 * Nothing was stored, so sending the same clientMessageId again is always safe. REST carries
 * the hint as {@code Retry-After} (whole seconds), STOMP as {@code retryAfterMs}.
 */
public final class SendRefused extends ChorusProblem {

    private final Duration retryAfter;

    private SendRefused(HttpStatus status, String code, String detail, Duration retryAfter) {
        super(status, code, detail);
        this.retryAfter = retryAfter;
    }

    static SendRefused overBudget(Duration retryAfter) {
        return new SendRefused(HttpStatus.TOO_MANY_REQUESTS, ProblemCodes.RATE_LIMITED,
                "Too many messages; slow down and send this again.", retryAfter);
    }

    static SendRefused overloaded(Duration retryAfter) {
        return new SendRefused(HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.OVERLOADED,
                "Chorus is busy right now; the message was not processed. Send it again shortly.", retryAfter);
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public Optional<Long> retryAfterSeconds() {
        long millis = retryAfter.toMillis();
        return Optional.of(Math.max(1, (millis + 999) / 1000));
    }
}
