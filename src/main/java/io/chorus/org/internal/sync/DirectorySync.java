package io.chorus.org.internal.sync;

import io.chorus.identity.UserAccounts;
import io.chorus.identity.UserAccounts.AccountSummary;
import io.chorus.org.OrgProblems;
import io.chorus.org.internal.OrgProperties;
import io.chorus.platform.ChorusProblem;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Directory sync from Keycloak: on a schedule and on request, one run at a time. A run reads
 * the whole directory first and then applies it in one transaction, so Keycloak being down or
 * its data being unusable leaves the org chart exactly as it was, with the reason in the report.
 */
@Service
public class DirectorySync {

    private static final Logger log = LoggerFactory.getLogger(DirectorySync.class);

    private final KeycloakDirectory directory;
    private final SnapshotApplier applier;
    private final UserAccounts accounts;
    private final OrgProperties.Sync settings;
    /** Its own thread: a long sync must not hold up the STOMP broker's heart-beat scheduler. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("directory-sync").daemon().factory());
    private final Clock clock;
    private final ReentrantLock running = new ReentrantLock();
    private volatile SyncReport last;

    DirectorySync(KeycloakDirectory directory, SnapshotApplier applier, UserAccounts accounts, OrgProperties properties,
            Clock clock) {
        this.directory = directory;
        this.applier = applier;
        this.accounts = accounts;
        this.settings = properties.sync();
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void schedule() {
        if (settings.enabled()) {
            timer.scheduleWithFixedDelay(this::runScheduled, settings.initialDelay().toMillis(),
                    settings.interval().toMillis(), TimeUnit.MILLISECONDS);
            log.info("Directory sync from {} realm {} every {}", settings.serverUrl(), settings.realm(), settings.interval());
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    public Optional<SyncReport> lastReport() {
        return Optional.ofNullable(last);
    }

    /** Runs a sync now; refused while another run is under way or when sync is off. */
    public SyncReport run(SyncReport.Trigger trigger) {
        if (!settings.enabled()) {
            throw ChorusProblem.conflict(OrgProblems.SYNC_NOT_ENABLED, "Directory sync is not configured.");
        }
        if (!running.tryLock()) {
            throw ChorusProblem.conflict(OrgProblems.SYNC_IN_PROGRESS, "A directory sync is already running.");
        }
        try {
            last = attempt(trigger);
            return last;
        } finally {
            running.unlock();
        }
    }

    private void runScheduled() {
        try {
            run(SyncReport.Trigger.SCHEDULE);
        } catch (ChorusProblem busy) {
            log.info("Scheduled directory sync skipped: {}", busy.getMessage());
        } catch (RuntimeException unexpected) {
            // An escaping exception would cancel every later run of a fixed-delay schedule.
            log.error("Scheduled directory sync failed", unexpected);
        }
    }

    private SyncReport attempt(SyncReport.Trigger trigger) {
        Instant started = clock.instant();
        List<String> activeSubjects = accounts.all().stream().filter(AccountSummary::active)
                .map(AccountSummary::subject).toList();
        KeycloakDirectory.Read read;
        try {
            read = directory.read(activeSubjects);
        } catch (RuntimeException unreachable) {
            return failed(trigger, started, "Keycloak could not be read: " + describe(unreachable));
        }
        try {
            SnapshotApplier.Changes changes = applier.apply(read.snapshot(), read.goneSubjects());
            SyncReport report = new SyncReport(trigger, SyncReport.Outcome.SUCCEEDED, started, clock.instant(),
                    changes.departmentsCreated(), changes.departmentsUpdated(), changes.departmentsDeleted(),
                    changes.accountsCreated(), changes.accountsDeactivated(), changes.accountsReactivated(),
                    changes.membershipsAdded(), changes.membershipsUpdated(), changes.membershipsRemoved(),
                    changes.managersChanged(), List.of());
            log.info("Directory sync {}: {}", report.changedAnything() ? "applied changes" : "found nothing to change",
                    report);
            return report;
        } catch (SnapshotApplier.BadDirectoryData bad) {
            SyncReport report = SyncReport.failed(trigger, started, clock.instant(), bad.problems);
            log.warn("Directory sync refused the directory's data; nothing changed: {}", bad.problems);
            return report;
        } catch (RuntimeException failure) {
            log.error("Directory sync failed; nothing changed", failure);
            return failed(trigger, started, "Applying the directory failed: " + describe(failure));
        }
    }

    private SyncReport failed(SyncReport.Trigger trigger, Instant started, String problem) {
        log.warn("Directory sync failed; nothing changed: {}", problem);
        return SyncReport.failed(trigger, started, clock.instant(), List.of(problem));
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure ? String.valueOf(failure.getMessage())
                : failure.getClass().getSimpleName() + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
