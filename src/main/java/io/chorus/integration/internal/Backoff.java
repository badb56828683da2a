package io.chorus.integration.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a failed delivery is tried again: a nominal wait that doubles from {@code base} up to
 * {@code max}, of which a random point in its upper half is taken ("equal jitter"). Full jitter
 * (anywhere from zero) would spread retries as well but make the whole schedule's length a
 * lottery; with the defaults (5 min doubling to 10 h, 10 attempts) the nine waits add up to 15 to
 * 31 hours, about a day.
 */
record Backoff(Duration base, Duration max) {

    /** The wait after {@code attempts} failed attempts (1 for the first failure). */
    Duration after(int attempts, RandomGenerator random) {
        Duration nominal = nominal(attempts);
        long half = nominal.toMillis() / 2;
        return Duration.ofMillis(nominal.toMillis() - half + random.nextLong(half + 1));
    }

    Duration nominal(int attempts) {
        int doublings = Math.clamp(attempts - 1, 0, 30);
        Duration nominal = base.multipliedBy(1L << doublings);
        return nominal.compareTo(max) > 0 ? max : nominal;
    }
}
