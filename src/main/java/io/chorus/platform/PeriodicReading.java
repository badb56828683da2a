package io.chorus.platform;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value that costs a query to read (a backlog, a lag), read at most once per period however
 * often it is asked for: a gauge is read at every scrape, by every scraper, and a scrape must
 * never become a load on the database. While the reading fails (the database is down) it
 * answers {@link Double#NaN}, which monitoring shows as "no value", not as a misleading zero.
 */
public final class PeriodicReading<T> {

    private static final Logger log = LoggerFactory.getLogger(PeriodicReading.class);

    private final Supplier<T> reading;
    private final long periodNanos;
    private T last;
    private long readAt;
    private boolean read;

    public PeriodicReading(Supplier<T> reading, Duration period) {
        this.reading = reading;
        this.periodNanos = period.toNanos();
    }

    /** The latest reading, taken again first when it is older than the period; null while it fails. */
    public synchronized T get() {
        long now = System.nanoTime();
        if (!read || now - readAt >= periodNanos) {
            readAt = now;
            read = true;
            try {
                last = reading.get();
            } catch (RuntimeException failed) {
                log.debug("A metric reading failed; reported as NaN until it succeeds", failed);
                last = null;
            }
        }
        return last;
    }

    /** A number out of the latest reading, or NaN while there is none. */
    public double number(java.util.function.ToDoubleFunction<T> of) {
        T value = get();
        return value == null ? Double.NaN : of.applyAsDouble(value);
    }
}
