package io.chorus.platform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes events that edges (filters, the token converter, STOMP session callbacks) raise
 * outside any transaction. Only an event published inside one is kept in the event publication
 * registry, so they are published in transactions of their own: in batches, by one writer, a
 * few milliseconds after they were raised. One transaction per event made a reconnect storm
 * (10,000 sessions closing at once) queue for the connection pool until events were given up;
 * batched, the same storm is a few dozen transactions. A batch that fails (the database is
 * down) is tried again until it succeeds or the application stops. Publishing never fails or
 * delays the request or session it describes; what a crash catches in memory (the last
 * {@value #LINGER_MILLIS} ms) is lost, as the sessions it describes are.
 */
@Component
public class EdgeEvents implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EdgeEvents.class);

    static final long LINGER_MILLIS = 20;
    private static final int BATCH = 500;
    private static final int CAPACITY = 100_000;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY);
    private volatile boolean running;
    private Thread writer;

    EdgeEvents(ApplicationEventPublisher events, PlatformTransactionManager transactionManager) {
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    public void publish(Object event) {
        if (!queue.offer(event)) {
            log.warn("Could not publish {}: {} edge events are waiting for the database", event.getClass().getSimpleName(),
                    CAPACITY);
        }
    }

    private void write() {
        List<Object> batch = new ArrayList<>(BATCH);
        Duration backoff = Duration.ZERO;
        while (running || !queue.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    // Once stopping, what is left is taken without waiting.
                    Object first = running ? queue.poll(200, TimeUnit.MILLISECONDS) : queue.poll();
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    if (running) {
                        // The events of a burst join this batch.
                        Thread.sleep(LINGER_MILLIS);
                    }
                }
                queue.drainTo(batch, BATCH - batch.size());
                transactions.executeWithoutResult(status -> batch.forEach(events::publishEvent));
                batch.clear();
                backoff = Duration.ZERO;
            } catch (InterruptedException stopping) {
                // Only a stop interrupts this thread of ours: publish what is left, without waiting.
                running = false;
            } catch (RuntimeException failure) {
                if (!running) {
                    log.warn("Could not publish {} edge events before stopping", batch.size() + queue.size(), failure);
                    return;
                }
                backoff = backoff.isZero() ? Duration.ofMillis(100) : backoff.multipliedBy(2);
                backoff = backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
                log.warn("Could not publish {} edge events; trying again in {}", batch.size(), backoff, failure);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException stopping) {
                    running = false;
                }
            }
        }
    }

    @Override
    public void start() {
        running = true;
        writer = Thread.ofPlatform().daemon().name("edge-events").start(this::write);
    }

    @Override
    public void stop() {
        running = false;
        if (writer != null) {
            try {
                writer.join(Duration.ofSeconds(10));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Starts before and stops after the web server (phase {@code DEFAULT_PHASE - 2048}), whose
     * closing sessions raise the last edge events; the data source closes after every phase.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
