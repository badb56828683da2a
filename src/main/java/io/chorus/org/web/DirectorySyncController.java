package io.chorus.org.web;

import io.chorus.org.OrgProblems;
import io.chorus.org.internal.sync.DirectorySync;
import io.chorus.org.internal.sync.SyncReport;
import io.chorus.platform.ChorusProblem;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Directory sync on demand, and the last run's report. org_admin only. */
@RestController
@RequestMapping("/api/v1/org/sync")
@PreAuthorize("hasRole('org_admin')")
class DirectorySyncController {

    private final DirectorySync sync;

    DirectorySyncController(DirectorySync sync) {
        this.sync = sync;
    }

    /**
     * The report of a successful run; a failed run (nothing changed) answers 502 with the reason,
     * a refused one 409. {@code force} applies what the deactivation guard would refuse.
     */
    @PostMapping
    SyncReport run(@RequestParam(defaultValue = "false") boolean force) {
        SyncReport report = sync.run(SyncReport.Trigger.REQUEST, force);
        switch (report.outcome()) {
            case FAILED -> throw new ChorusProblem(HttpStatus.BAD_GATEWAY, OrgProblems.DIRECTORY_SYNC_FAILED,
                    "Directory sync failed and changed nothing: " + String.join("; ", report.problems()));
            case REFUSED -> throw ChorusProblem.conflict(OrgProblems.DIRECTORY_SYNC_REFUSED,
                    "Directory sync refused to apply what it read and changed nothing: "
                            + String.join("; ", report.problems()));
            case SUCCEEDED -> {
            }
        }
        return report;
    }

    @GetMapping
    SyncReport last() {
        return sync.lastReport().orElseThrow(() ->
                ChorusProblem.notFound(OrgProblems.SYNC_NOT_RUN, "No directory sync has run since Chorus started."));
    }
}
