package io.chorus.search.internal.text;

/**
 * One word or one ideograph of a text, normalised, with where it sits in the original text
 * ({@code start}/{@code end} in UTF-16 units) and its place among the text's tokens.
 */
public record Token(String text, int start, int end, int position, boolean ideograph) {
}
