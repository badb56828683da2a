package io.chorus.search.internal.indexing;

import io.chorus.chat.MessageSnapshot;
import io.chorus.chat.MessageSnapshots;
import io.chorus.platform.ChorusProblem;
import io.chorus.identity.UserId;
import io.chorus.search.RebuildStatus;
import io.chorus.search.SearchEvents;
import io.chorus.search.SearchProblems;
import io.chorus.search.internal.engine.SearchEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rebuilds the index from PostgreSQL, the source of truth: every message, page by page in id
 * order, into a new index that searchers switch to only when it is complete. Live indexing
 * goes on meanwhile and writes to both (to the new one only when the old one has an older
 * mapping), so nothing sent during a rebuild is missing. At start
 * the engine is asked whether its index exists with the current mapping; if not, this is how
 * it is built, which is also how a mapping change is rolled out.
 */
@Component
public class IndexRebuilder {

    private static final Logger log = LoggerFactory.getLogger(IndexRebuilder.class);
    private static final Duration STARTUP_RETRY = Duration.ofSeconds(10);

    private final SearchEngine engine;
    private final MessageSnapshots snapshots;
    private final IndexDrainer drainer;
    private final SearchIndexingProperties properties;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final AtomicReference<RebuildStatus> status = new AtomicReference<>(RebuildStatus.none());

    IndexRebuilder(SearchEngine engine, MessageSnapshots snapshots, IndexDrainer drainer,
            SearchIndexingProperties properties, Clock clock, ApplicationEventPublisher events,
            PlatformTransactionManager transactionManager) {
        this.events = events;
        this.transaction = new TransactionTemplate(transactionManager);
        this.engine = engine;
        this.snapshots = snapshots;
        this.drainer = drainer;
        this.properties = properties;
        this.clock = clock;
    }

    public RebuildStatus status() {
        return status.get();
    }

    /**
     * Starts a rebuild in the background, as asked by {@code by} (null: Chorus itself); a 409
     * problem if one is running.
     */
    public RebuildStatus start(String reason, UserId by) {
        RebuildStatus current = status.get();
        RebuildStatus running = new RebuildStatus(RebuildStatus.State.RUNNING, null, reason, clock.instant(), null,
                0, null);
        if (current.state() == RebuildStatus.State.RUNNING || !status.compareAndSet(current, running)) {
            throw ChorusProblem.conflict(SearchProblems.REINDEX_RUNNING, "A rebuild of the search index is running.");
        }
        SearchEngine.Rebuild rebuild;
        try {
            rebuild = engine.startRebuild();
        } catch (RuntimeException e) {
            status.set(failed(running, null, 0, e));
            throw e;
        }
        RebuildStatus started = new RebuildStatus(RebuildStatus.State.RUNNING, rebuild.target(), reason,
                running.startedAt(), null, 0, null);
        status.set(started);
        transaction.executeWithoutResult(tx -> events.publishEvent(new SearchEvents.IndexRebuildStarted(engine.name(),
                rebuild.target(), reason, by, started.startedAt())));
        drainer.open();
        Thread.ofPlatform().daemon().name("search-rebuild").start(() -> copyAll(rebuild, started));
        return started;
    }

    private void copyAll(SearchEngine.Rebuild rebuild, RebuildStatus started) {
        long written = 0;
        try {
            long after = 0;
            List<MessageSnapshot> page;
            while (!(page = snapshots.after(after, properties.rebuildBatchSize())).isEmpty()) {
                rebuild.write(page.stream().map(Documents::of).toList());
                written += page.size();
                after = page.getLast().id();
                status.set(new RebuildStatus(RebuildStatus.State.RUNNING, started.target(), started.reason(),
                        started.startedAt(), null, written, null));
            }
            rebuild.complete();
            status.set(new RebuildStatus(RebuildStatus.State.COMPLETED, started.target(), started.reason(),
                    started.startedAt(), clock.instant(), written, null));
            log.info("Search index rebuilt into {}: {} messages.", rebuild.target(), written);
        } catch (RuntimeException e) {
            log.error("Rebuilding the search index into {} failed after {} messages.", rebuild.target(), written, e);
            try {
                rebuild.abandon();
            } catch (RuntimeException cleanup) {
                log.warn("Could not drop the abandoned index {}: {}", rebuild.target(), cleanup.toString());
            }
            status.set(failed(started, rebuild.target(), written, e));
        }
    }

    private RebuildStatus failed(RebuildStatus from, String target, long written, RuntimeException e) {
        return new RebuildStatus(RebuildStatus.State.FAILED, target, from.reason(), from.startedAt(), clock.instant(),
                written, e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    /**
     * Checks the engine's index once the application is up, retrying while the engine cannot be
     * reached: the drainer opens when the index is there or being built.
     */
    @EventListener(ApplicationReadyEvent.class)
    void checkIndexAtStart() {
        Thread.ofPlatform().daemon().name("search-index-check").start(() -> {
            while (true) {
                try {
                    if (engine.needsRebuild()) {
                        log.info("Search index {} is missing or has an older mapping: rebuilding it.", engine.name());
                        start("index missing or mapping changed", null);
                    } else {
                        drainer.open();
                    }
                    return;
                } catch (RuntimeException e) {
                    log.warn("Cannot check the search index yet ({}); trying again in {}.", e.toString(),
                            STARTUP_RETRY);
                    try {
                        Thread.sleep(STARTUP_RETRY);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        });
    }
}
