package io.chorus.search.web;

import io.chorus.platform.ChorusProblem;
import io.chorus.search.SearchProblems;
import io.chorus.search.SearchRequest;
import io.chorus.search.SearchSort;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;

/** The query parameters both search endpoints share, read strictly: a misspelt sort or zone is a 400, not a default. */
public final class SearchParameters {

    private SearchParameters() {
    }

    public static SearchRequest request(String q, String sort, String cursor, Integer limit, String tz) {
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
