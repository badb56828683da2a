package io.chorus.search.web;

import io.chorus.identity.CurrentUser;
import io.chorus.search.MessageSearch;
import io.chorus.search.RebuildStatus;
import io.chorus.search.SearchStatus;
import io.chorus.search.internal.indexing.IndexRebuilder;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** For administrators: the state of the index and the reindex command. */
@RestController
@PreAuthorize("hasRole('org_admin')")
class SearchIndexController {

    private final MessageSearch search;
    private final IndexRebuilder rebuilder;

    SearchIndexController(MessageSearch search, IndexRebuilder rebuilder) {
        this.search = search;
        this.rebuilder = rebuilder;
    }

    @GetMapping("/api/v1/search/index")
    SearchStatus status() {
        return search.status();
    }

    /** Rebuilds the index from PostgreSQL in the background; 202 at once, then poll the status. */
    @PostMapping("/api/v1/search/reindex")
    @ResponseStatus(HttpStatus.ACCEPTED)
    RebuildStatus reindex(@AuthenticationPrincipal CurrentUser me) {
        return rebuilder.start("requested by an administrator", me.id());
    }
}
