package io.chorus.search;

import java.util.List;

/** A stretch of a message's text around what matched, with the matches marked. */
public record Snippet(String text, List<Highlight> highlights) {

    public Snippet {
        highlights = List.copyOf(highlights);
    }
}
