package io.chorus.search.internal.engine;

import io.chorus.search.SearchSort;
import io.chorus.search.internal.query.Term;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A parsed query with its names resolved and the searcher's reach applied, as an engine runs it.
 *
 * <ul>
 *   <li>{@code conversations}: only these; null means every conversation (compliance).
 *   <li>{@code senders}: only messages these users sent; null means anyone.
 *   <li>{@code mentioning}: only messages that mention this user or {@code @all}; null: no filter.
 *   <li>{@code sentAfter} inclusive, {@code sentBefore} exclusive; either may be null.
 *   <li>{@code compliance}: false searches the current text of live messages only (employees);
 *       true also finds recalled messages and matches their earlier texts.
 *   <li>{@code offset} pages a relevance search; {@code after} pages a newest-first search.
 * </ul>
 * Purged messages are never returned. A search without terms is newest first.
 */
public record EngineQuery(List<Term> include, List<Term> exclude, Set<UUID> conversations, Set<UUID> senders,
        UUID mentioning, Instant sentAfter, Instant sentBefore, boolean compliance, SearchSort sort, int offset,
        Keyset after, int limit) {

    /** The newest-first position of the last hit of the previous page. */
    public record Keyset(Instant sentAt, long messageId) {
    }

    public SearchSort effectiveSort() {
        return include.isEmpty() ? SearchSort.NEWEST : sort;
    }
}
