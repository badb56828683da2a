package io.chorus.search;

/** Best match first (the default), or newest first. */
public enum SearchSort {
    RELEVANCE, NEWEST
}
