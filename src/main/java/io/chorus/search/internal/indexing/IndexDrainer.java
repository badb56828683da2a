package io.chorus.search.internal.indexing;

import io.chorus.chat.MessageSnapshot;
import io.chorus.chat.MessageSnapshots;
import io.chorus.search.internal.engine.IndexedMessage;
import io.chorus.search.internal.engine.SearchEngine;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves queued messages into the engine, a batch per transaction: claim entries, read the
 * messages' current states, write them in one bulk request, and delete the entries the engine
 * took. If the engine is down, the transaction rolls back and the entries wait; the drainer
 * backs off and tries again until it succeeds, so the index converges on the database.
 */
@Component
class IndexDrainer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IndexDrainer.class);

    private final IndexQueue queue;
    private final MessageSnapshots snapshots;
    private final SearchEngine engine;
    private final SearchIndexingProperties properties;
    private final TransactionTemplate transaction;
    private final Semaphore work = new Semaphore(0);
    private volatile boolean running;
    private volatile boolean opened;
    private Thread thread;

    IndexDrainer(IndexQueue queue, MessageSnapshots snapshots, SearchEngine engine,
            SearchIndexingProperties properties, PlatformTransactionManager transactionManager) {
        this.queue = queue;
        this.snapshots = snapshots;
        this.engine = engine;
        this.properties = properties;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    void wakeUp() {
        work.release();
    }

    /**
     * Lets draining begin: called once the engine's index is known to exist (or to be being
     * rebuilt), so no write can land in an index that is not there yet.
     */
    void open() {
        opened = true;
        wakeUp();
    }

    /** Drains one batch; the number of entries it handled, 0 when the queue is empty. */
    int drainOnce() {
        Integer handled = transaction.execute(status -> {
            List<IndexQueue.Entry> entries = queue.claim(properties.batchSize());
            if (entries.isEmpty()) {
                return 0;
            }
            List<MessageSnapshot> current = snapshots.byIds(entries.stream().map(IndexQueue.Entry::messageId).toList());
            List<IndexedMessage> documents = current.stream().map(Documents::of).toList();
            Set<Long> done = new HashSet<>(engine.index(documents));
            // A message chat no longer has leaves nothing to index.
            Set<Long> existing = new HashSet<>(current.stream().map(MessageSnapshot::id).toList());
            queue.remove(entries.stream()
                    .filter(e -> done.contains(e.messageId()) || !existing.contains(e.messageId())).toList());
            return entries.size();
        });
        return handled == null ? 0 : handled;
    }

    /**
     * Derives one batch of stale documents again (see {@link SearchEngine#refreshStale}); how
     * many. A failure here is logged and left for the next idle round: it must not back off the
     * draining of new messages.
     */
    int refreshStaleOnce() {
        try {
            Integer refreshed = transaction.execute(status -> engine.refreshStale(properties.batchSize()));
            return refreshed == null ? 0 : refreshed;
        } catch (RuntimeException e) {
            log.warn("Search engine {} could not derive stale documents again; trying when next idle: {}",
                    engine.name(), e.toString());
            return 0;
        }
    }

    private void loop() {
        Duration backoff = Duration.ZERO;
        while (running) {
            try {
                if (!opened) {
                    pause(properties.idlePoll());
                    continue;
                }
                int drained = drainOnce();
                // A full batch leaves more behind: go on at once. Stale documents are derived again
                // only when the queue is empty: new messages first.
                if (drained < properties.batchSize() && (drained > 0 || refreshStaleOnce() == 0)) {
                    pause(properties.idlePoll());
                    linger();
                }
                if (!backoff.isZero()) {
                    log.info("Search engine {} is writable again; indexing resumed.", engine.name());
                    backoff = Duration.ZERO;
                }
            } catch (RuntimeException e) {
                if (backoff.isZero()) {
                    log.warn("Search engine {} refused a batch; the backlog is kept and retried: {}", engine.name(),
                            e.toString());
                }
                backoff = backoff.isZero() ? Duration.ofMillis(500) : backoff.multipliedBy(2);
                if (backoff.compareTo(properties.maxBackoff()) > 0) {
                    backoff = properties.maxBackoff();
                }
                sleep(backoff);
            }
        }
    }

    private void pause(Duration timeout) {
        try {
            work.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
            work.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lets the sends that follow a wake-up join its batch. */
    private void linger() {
        if (running && !properties.linger().isZero()) {
            sleep(properties.linger());
        }
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().daemon().name("search-indexer").start(this::loop);
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
