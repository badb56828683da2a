package io.chorus.search;

import io.chorus.platform.ChorusProblem;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;

/**
 * What the searcher asked: the query in Chorus's query language, the order, the page. Dates in
 * {@code before:}/{@code after:}/{@code on:} are days in {@code zone}.
 */
public record SearchRequest(String q, SearchSort sort, String cursor, int limit, ZoneId zone) {

    /**
     * The request from query parameters as both search endpoints take them, read strictly: a
     * misspelt sort or zone is a 400 problem, not a silent default.
     */
    public static SearchRequest of(String q, String sort, String cursor, Integer limit, String tz) {
        return new SearchRequest(q, sort(sort), cursor, limit == null ? 0 : limit, zone(tz));
    }

    private static SearchSort sort(String sort) {
        if (sort == null) {
            return SearchSort.RELEVANCE;
        }
        return switch (sort.toLowerCase(Locale.ROOT)) {
            case "relevance" -> SearchSort.RELEVANCE;
            case "newest" -> SearchSort.NEWEST;
            default -> throw ChorusProblem.badRequest(SearchProblems.QUERY_INVALID,
                    "sort is 'relevance' or 'newest', not '" + sort + "'.");
        };
    }

    private static ZoneId zone(String tz) {
        if (tz == null) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw ChorusProblem.badRequest(SearchProblems.QUERY_INVALID,
                    "tz is a time zone like Asia/Shanghai, not '" + tz + "'.");
        }
    }
}
