package io.chorus.org.internal.sync;

import java.time.Instant;
import java.util.List;

/**
 * What one sync run did. A failed run changed nothing and says why in {@code problems};
 * a second run right after a successful one reports no changes at all.
 */
public record SyncReport(
        Trigger trigger,
        Outcome outcome,
        Instant startedAt,
        Instant finishedAt,
        int departmentsCreated,
        int departmentsUpdated,
        int departmentsDeleted,
        int accountsCreated,
        int accountsDeactivated,
        int accountsReactivated,
        int membershipsAdded,
        int membershipsUpdated,
        int membershipsRemoved,
        int managersChanged,
        List<String> problems) {

    public enum Trigger { SCHEDULE, REQUEST }

    public enum Outcome { SUCCEEDED, FAILED }

    public boolean changedAnything() {
        return departmentsCreated + departmentsUpdated + departmentsDeleted + accountsCreated + accountsDeactivated
                + accountsReactivated + membershipsAdded + membershipsUpdated + membershipsRemoved + managersChanged > 0;
    }

    static SyncReport failed(Trigger trigger, Instant startedAt, Instant finishedAt, List<String> problems) {
        return new SyncReport(trigger, Outcome.FAILED, startedAt, finishedAt, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                List.copyOf(problems));
    }
}
