package io.chorus.search;

import java.util.List;

/** A page of hits and the cursor of the next page (null on the last). */
public record SearchResults(List<SearchHit> items, String nextCursor) {
}
