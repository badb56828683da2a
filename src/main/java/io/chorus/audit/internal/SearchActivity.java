package io.chorus.audit.internal;

import io.chorus.search.SearchEvents;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** Search index rebuilds, as audit entries: who rebuilt what; {@code by} null is Chorus itself. */
@Component
class SearchActivity {

    private final ActivityLog log;

    SearchActivity(ActivityLog log) {
        this.log = log;
    }

    @ApplicationModuleListener
    void on(SearchEvents.IndexRebuildStarted e) {
        log.record(Activity.of("search.index_rebuild_started", e).at(e.at()).by(e.by())
                .detail("engine", e.engine()).detail("target", e.target()).detail("reason", e.reason()));
    }
}
