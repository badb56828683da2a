package io.chorus.search;

/** Stable codes of search refusals (problem {@code code}). */
public final class SearchProblems {

    /** The query does not parse: unclosed quote, unknown filter value, bad date, too long. */
    public static final String QUERY_INVALID = "SEARCH_QUERY_INVALID";
    /** {@code from:} names nobody Chorus knows. */
    public static final String UNKNOWN_SENDER = "SEARCH_UNKNOWN_SENDER";
    /** {@code in:} names no conversation the searcher can search (a name several share searches them all). */
    public static final String UNKNOWN_CONVERSATION = "SEARCH_UNKNOWN_CONVERSATION";
    /** The search engine cannot be reached; messages are still sent and indexed later. */
    public static final String UNAVAILABLE = "SEARCH_UNAVAILABLE";
    /** A reindex is already running. */
    public static final String REINDEX_RUNNING = "SEARCH_REINDEX_RUNNING";

    private SearchProblems() {
    }
}
