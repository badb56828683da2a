package io.chorus.approval;

import java.time.Instant;
import java.util.UUID;

/** Which of my tasks to list: PENDING (waiting for me), HANDLED (approved, rejected or handed on by me), ALL. */
public record TaskQuery(Filter state, UUID templateId, Instant from, Instant to, String cursor, int limit) {

    public enum Filter {
        PENDING, HANDLED, ALL
    }
}
