package io.chorus.search.internal.engine;

/** One match and its engine's score (0 when sorted newest first). */
public record EngineHit(IndexedMessage message, double score) {
}
