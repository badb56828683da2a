package io.chorus.chat;

import io.chorus.chat.ChatEvents.HoldSubject;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import java.time.Instant;
import java.util.UUID;

/**
 * Put the messages of a user or a conversation, sent between {@code from} and {@code to}
 * (null = open), on hold. The rules on its fields live here, so every caller enforces them.
 */
public record PlaceLegalHold(HoldSubject subjectType, UUID subjectId, Instant from, Instant to, String reason) {

    public static final int MAX_REASON_LENGTH = 500;

    public PlaceLegalHold {
        if (subjectType == null || subjectId == null) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, "A hold needs subjectType and subjectId.");
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, "from must not be after to.");
        }
        reason = reason == null ? "" : reason.strip();
        if (reason.isEmpty() || reason.length() > MAX_REASON_LENGTH) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "A reason of 1 to " + MAX_REASON_LENGTH + " characters is required.");
        }
    }
}
