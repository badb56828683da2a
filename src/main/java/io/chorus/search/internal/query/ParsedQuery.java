package io.chorus.search.internal.query;

import java.time.LocalDate;
import java.util.List;

/**
 * A search query as the user wrote it, understood: what must match, what must not, and the
 * filters. Names in {@code from:} and {@code in:} are still names here; dates are calendar days
 * in the searcher's time zone.
 */
public record ParsedQuery(List<Term> include, List<Term> exclude, List<String> senders,
        List<String> conversations, LocalDate before, LocalDate after, LocalDate on, boolean mentionsMe) {

    public boolean hasText() {
        return !include.isEmpty();
    }
}
