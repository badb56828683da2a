package io.chorus.search.internal.engine;

import java.util.Collection;
import java.util.List;

/**
 * Where documents are kept and searched. Two implementations behave the same for every query:
 * the PostgreSQL engine (default) and the Elasticsearch engine.
 */
public interface SearchEngine {

    /** "postgres" or "elasticsearch", as health and docs/search.md name it. */
    String name();

    /**
     * Writes these documents in one batch. Each replaces the stored one only if its version is
     * not older, so replays and races converge on the newest state. Returns the ids written or
     * already newer; a document missing from the answer failed and stays queued. Throws when
     * the engine cannot be reached at all.
     */
    Collection<Long> index(List<IndexedMessage> documents);

    /**
     * Derives again, in place, up to {@code limit} documents that another release's analysis
     * wrote (during a rolling upgrade, older nodes keep writing after start-up's rebuild check);
     * how many it did, 0 when none are left. Runs in the caller's transaction. An engine that
     * refuses such writes instead has none.
     */
    default int refreshStale(int limit) {
        return 0;
    }

    /** Up to {@code query.limit()} hits, best (or newest) first. */
    List<EngineHit> search(EngineQuery query);

    /** Whether the engine answers right now (for health). */
    boolean reachable();

    /**
     * True when the index must be rebuilt before it can be trusted: it does not exist yet, or
     * it was built with an older mapping. Checked at start-up.
     */
    boolean needsRebuild();

    /**
     * Starts rebuilding the whole index from chat's messages. From now until the rebuild
     * completes or is abandoned, {@link #index} writes to the current and the new index alike,
     * so nothing sent meanwhile is missing from the result. (Elasticsearch writes only the new
     * index while it replaces one of an older mapping, which cannot hold today's documents.)
     */
    Rebuild startRebuild();

    /** One rebuild in progress: the rebuilder writes every message, then completes it. */
    interface Rebuild {

        /** What is being built (the new index's name), for status and logs. */
        String target();

        /** Writes a batch of documents into the new index, with the same version rule as {@link #index}. */
        void write(List<IndexedMessage> documents);

        /** Searchers switch to the new index, atomically; the old one is dropped. */
        void complete();

        /** Drops the new index; searchers never saw it. */
        void abandon();
    }
}
