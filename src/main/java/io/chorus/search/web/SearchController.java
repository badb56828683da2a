package io.chorus.search.web;

import io.chorus.identity.CurrentUser;
import io.chorus.search.MessageSearch;
import io.chorus.search.SearchRequest;
import io.chorus.search.SearchResults;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** An employee's message search: only conversations they are in now, only what they can read there. */
@RestController
@PreAuthorize("hasRole('employee')")
class SearchController {

    private final MessageSearch search;
    private final SearchHits hits;

    SearchController(MessageSearch search, SearchHits hits) {
        this.search = search;
        this.hits = hits;
    }

    record EmployeeResults(List<SearchHits.EmployeeHit> items, String nextCursor) {
    }

    @GetMapping("/api/v1/search/messages")
    EmployeeResults search(@AuthenticationPrincipal CurrentUser me, @RequestParam String q,
            @RequestParam(required = false) String sort, @RequestParam(required = false) String cursor,
            @RequestParam(required = false) @Min(1) @Max(MessageSearch.MAX_LIMIT) Integer limit,
            @RequestParam(required = false) String tz) {
        SearchResults results = search.forEmployee(me.id(), SearchRequest.of(q, sort, cursor, limit, tz));
        return new EmployeeResults(results.items().stream().map(hits::employee).toList(), results.nextCursor());
    }
}
