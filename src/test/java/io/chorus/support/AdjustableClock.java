package io.chorus.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The system clock, moved forward on purpose: what "later" means to a test that cannot wait. */
public final class AdjustableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    /**
     * For {@code @TestBean(name = "clock", methodName = "io.chorus.support.AdjustableClock#standIn")}:
     * test classes that name the same factory share one application context.
     */
    public static Clock standIn() {
        return new AdjustableClock();
    }

    public void advance(Duration by) {
        offset = offset.plus(by);
    }

    public void reset() {
        offset = Duration.ZERO;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("Chorus keeps time in UTC");
    }
}
