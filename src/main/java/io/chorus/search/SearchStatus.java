package io.chorus.search;

import java.time.Instant;

/**
 * How search is doing: which engine, whether it answers, how many messages wait to be
 * indexed and since when, and the latest rebuild.
 */
public record SearchStatus(String engine, boolean reachable, long backlog, Instant oldestPending,
        RebuildStatus rebuild) {
}
