package io.chorus.org;

import java.util.UUID;

/** Enough of an employee to show them in a list. */
public record EmployeeSummary(UUID userId, String username, String displayName) {
}
