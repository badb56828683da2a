package io.chorus.org.internal.sync;

import io.chorus.identity.UserAccounts;
import io.chorus.identity.UserAccounts.AccountSummary;
import io.chorus.org.OrgProblems;
import io.chorus.org.internal.OrgProperties;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ScheduledJobs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
 * the whole directory first and then applies it in one transaction, so Keycloak being down
 * leaves the org chart exactly as it was, with the reason in the report. A read that would
 * deactivate too many accounts is refused the same way until forced; single users or groups
 * whose data cannot be applied are left as they were while the rest is applied. The scheduled
 * sync runs on one node at a time; a sync on request runs on the node asked.
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
    private final ScheduledJobs jobs;
    private final ReentrantLock running = new ReentrantLock();
    private volatile SyncReport last;

    DirectorySync(KeycloakDirectory directory, SnapshotApplier applier, UserAccounts accounts, OrgProperties properties,
            Clock clock, ScheduledJobs jobs) {
        this.directory = directory;
        this.applier = applier;
        this.accounts = accounts;
        this.settings = properties.sync();
        this.clock = clock;
        this.jobs = jobs;
    }

    @EventListener(ApplicationReadyEvent.class)
    void schedule() {
        if (settings.enabled()) {
            // A sync reads the whole directory from Keycloak, then applies it in one transaction: minutes for
            // a large company; an hour is past anything a working Keycloak takes.
            Runnable oneNode = jobs.onOneNode("org.directory-sync", settings.interval(), Duration.ofHours(1),
                    this::runScheduled);
            timer.scheduleWithFixedDelay(oneNode, settings.initialDelay().toMillis(),
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
        return run(trigger, false);
    }

    /** As {@link #run(SyncReport.Trigger)}; {@code force} applies a read the deactivation guard would refuse. */
    public SyncReport run(SyncReport.Trigger trigger, boolean force) {
        if (!settings.enabled()) {
            throw ChorusProblem.conflict(OrgProblems.SYNC_NOT_ENABLED, "Directory sync is not configured.");
        }
        if (!running.tryLock()) {
            throw ChorusProblem.conflict(OrgProblems.SYNC_IN_PROGRESS, "A directory sync is already running.");
        }
        try {
            last = attempt(trigger, force);
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

    private SyncReport attempt(SyncReport.Trigger trigger, boolean force) {
        Instant started = clock.instant();
        List<String> activeSubjects = accounts.all().stream().filter(AccountSummary::active)
                .map(AccountSummary::subject).toList();
        KeycloakDirectory.Read read;
        try {
            read = directory.read(activeSubjects);
        } catch (RuntimeException unreachable) {
            return failed(trigger, started, "Keycloak could not be read: " + describe(unreachable));
        }
        Optional<String> tooMany = tooManyLeaving(read, activeSubjects);
        if (tooMany.isPresent()) {
            if (!force) {
                log.warn("Directory sync refused; nothing changed: {}", tooMany.get());
                return SyncReport.refused(trigger, started, clock.instant(), tooMany.get());
            }
            log.warn("Directory sync forced past its guard: {}", tooMany.get());
        }
        try {
            SnapshotApplier.Changes changes = applier.apply(read.snapshot(), read.goneSubjects());
            SyncReport report = new SyncReport(trigger, SyncReport.Outcome.SUCCEEDED, started, clock.instant(),
                    changes.departmentsCreated(), changes.departmentsUpdated(), changes.departmentsDeleted(),
                    changes.accountsCreated(), changes.accountsDeactivated(), changes.accountsReactivated(),
                    changes.membershipsAdded(), changes.membershipsUpdated(), changes.membershipsRemoved(),
                    changes.managersChanged(), changes.problems());
            log.info("Directory sync {}: {}", report.changedAnything() ? "applied changes" : "found nothing to change",
                    report);
            if (!report.problems().isEmpty()) {
                log.warn("Directory sync left {} item(s) as they were: {}", report.problems().size(), report.problems());
            }
            return report;
        } catch (RuntimeException failure) {
            log.error("Directory sync failed; nothing changed", failure);
            return failed(trigger, started, "Applying the directory failed: " + describe(failure));
        }
    }

    /**
     * Why this read may not be applied without force: it would take out of the org chart (deactivate)
     * more active accounts than the guard allows, or every one of them. Such a read more often
     * means Keycloak lost its users (a user federation down, a wrong realm) than that they all left.
     */
    private Optional<String> tooManyLeaving(KeycloakDirectory.Read read, List<String> activeSubjects) {
        Set<String> disabled = new HashSet<>();
        read.snapshot().accounts().stream().filter(account -> !account.enabled())
                .forEach(account -> disabled.add(account.subject()));
        long active = activeSubjects.size();
        long leaving = activeSubjects.stream()
                .filter(subject -> read.goneSubjects().contains(subject) || disabled.contains(subject)).count();
        OrgProperties.DeactivationGuard guard = settings.deactivationGuard();
        if (leaving > 0 && leaving == active) {
            return Optional.of("This run would deactivate every active account (" + leaving + "): Keycloak lists"
                    + " none of them as enabled. Check its realm and user federation, or force the run.");
        }
        if (leaving > guard.alwaysAllowed() && leaving * 100 > (long) guard.maxPercent() * active) {
            return Optional.of("This run would deactivate " + leaving + " of " + active + " active accounts, more than"
                    + " the " + guard.maxPercent() + "% one run may (beyond " + guard.alwaysAllowed() + "). Check"
                    + " Keycloak's realm and user federation, or force the run if they really left.");
        }
        return Optional.empty();
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
