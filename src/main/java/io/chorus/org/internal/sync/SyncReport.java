package io.chorus.org.internal.sync;

import java.time.Instant;
import java.util.List;

/**
 * What one sync run did. A failed or refused run changed nothing and says why in {@code problems};
 * a successful one lists there the users and groups it could not apply and left as they were.
 * A second run right after a successful one reports no changes at all.
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

    /**
     * {@code REFUSED}: the directory was read but looked wrong (see {@link io.chorus.org.internal.OrgProperties.DeactivationGuard}),
     * so nothing changed; a forced run would apply it.
     */
    public enum Outcome { SUCCEEDED, FAILED, REFUSED }

    public boolean changedAnything() {
        return departmentsCreated + departmentsUpdated + departmentsDeleted + accountsCreated + accountsDeactivated
                + accountsReactivated + membershipsAdded + membershipsUpdated + membershipsRemoved + managersChanged > 0;
    }

    static SyncReport refused(Trigger trigger, Instant startedAt, Instant finishedAt, String why) {
        return new SyncReport(trigger, Outcome.REFUSED, startedAt, finishedAt, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                List.of(why));
    }

    static SyncReport failed(Trigger trigger, Instant startedAt, Instant finishedAt, List<String> problems) {
        return new SyncReport(trigger, Outcome.FAILED, startedAt, finishedAt, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                List.copyOf(problems));
    }
}
