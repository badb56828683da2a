package io.chorus.search;

import java.time.ZoneId;

/**
 * What the searcher asked: the query in Chorus's query language, the order, the page. Dates in
 * {@code before:}/{@code after:}/{@code on:} are days in {@code zone}.
 */
public record SearchRequest(String q, SearchSort sort, String cursor, int limit, ZoneId zone) {
}
