package io.chorus.search;

import java.time.Instant;

/**
 * The latest index rebuild: none yet, running, completed or failed. {@code messagesWritten}
 * counts documents copied from chat so far; {@code error} says why a failed one stopped.
 */
public record RebuildStatus(State state, String target, String reason, Instant startedAt, Instant finishedAt,
        long messagesWritten, String error) {

    public enum State {
        NONE, RUNNING, COMPLETED, FAILED
    }

    public static RebuildStatus none() {
        return new RebuildStatus(State.NONE, null, null, null, null, 0, null);
    }
}
