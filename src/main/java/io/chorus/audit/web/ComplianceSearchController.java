package io.chorus.audit.web;

import io.chorus.audit.ComplianceSearch;
import io.chorus.identity.CurrentUser;
import io.chorus.search.MessageSearch;
import io.chorus.search.SearchRequest;
import io.chorus.search.SearchResults;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Compliance search: the employee query language over every conversation in the officer's scope. */
@RestController
@PreAuthorize("hasRole('compliance_officer')")
class ComplianceSearchController {

    private final ComplianceSearch search;

    ComplianceSearchController(ComplianceSearch search) {
        this.search = search;
    }

    @GetMapping("/api/v1/search/compliance/messages")
    SearchResults search(@AuthenticationPrincipal CurrentUser me, @RequestParam String q,
            @RequestParam(required = false) String sort, @RequestParam(required = false) String cursor,
            @RequestParam(required = false) @Min(1) @Max(MessageSearch.MAX_LIMIT) Integer limit,
            @RequestParam(required = false) String tz, HttpServletRequest request) {
        return search.search(me, SearchRequest.of(q, sort, cursor, limit, tz), request.getRemoteAddr());
    }
}
