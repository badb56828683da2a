package io.chorus.search;

import io.chorus.identity.UserId;
import java.time.Instant;

/** What search tells other modules (audit). */
public final class SearchEvents {

    private SearchEvents() {
    }

    /**
     * A rebuild of the search index from chat's messages began, into {@code target}; {@code by}
     * is the administrator who asked, or null when Chorus started it (a missing index, a new mapping).
     */
    public record IndexRebuildStarted(String engine, String target, String reason, UserId by, Instant at) {
    }
}
