package io.chorus.search.internal.text;

/**
 * One word or one ideograph of a text, normalised, with where it sits in the original text
 * ({@code start}/{@code end} in UTF-16 units) and its position in the indexed sequence (tokens
 * are numbered in order, and a break between two ideographs takes a number of its own).
 */
public record Token(String text, int start, int end, int position, boolean ideograph) {
}
