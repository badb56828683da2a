package io.chorus.search;

/** A highlighted stretch of a snippet: {@code [start, end)} in UTF-16 code units, as JavaScript indexes strings. */
public record Highlight(int start, int end) {
}
