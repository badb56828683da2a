package io.chorus.audit;

import io.chorus.audit.internal.Activity;
import io.chorus.audit.internal.ActivityLog;
import io.chorus.identity.CurrentUser;
import io.chorus.search.MessageSearch;
import io.chorus.search.SearchRequest;
import io.chorus.search.SearchResults;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * A compliance officer's search over all messages within their scope, recalled ones and
 * earlier texts included. Each search is recorded in the trail, with its query, before the
 * results go back.
 */
@Service
public class ComplianceSearch {

    private final MessageSearch search;
    private final ComplianceScopes scopes;
    private final ActivityLog activity;

    ComplianceSearch(MessageSearch search, ComplianceScopes scopes, ActivityLog activity) {
        this.search = search;
        this.scopes = scopes;
        this.activity = activity;
    }

    public SearchResults search(CurrentUser officer, SearchRequest request, String sourceIp) {
        ComplianceScope scope = scopes.of(officer.id());
        SearchResults results = search.forCompliance(officer.id(), scope.unscoped() ? null : scope.userIds(),
                request);
        activity.record(Activity.of("audit.messages_searched", "query:" + UUID.randomUUID()).by(officer.id())
                .from(sourceIp, null).detail("q", request.q()).detail("sort", request.sort().name())
                .detail("cursor", request.cursor() != null).detail("results", results.items().size())
                .detail("scoped", !scope.unscoped()));
        return results;
    }
}
