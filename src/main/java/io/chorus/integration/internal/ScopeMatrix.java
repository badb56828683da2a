package io.chorus.integration.internal;

import io.chorus.identity.ApiTokens;
import io.chorus.integration.Scope;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Which requests a bot's API token may make, and the scope each needs. Bots use the same REST
 * API as people (their principal is an employee-like account that members added to
 * conversations), but only these operations: anything not listed is refused to a token with
 * 403, whatever its scopes. The endpoints' own rules (membership, author, visibility) apply too.
 */
final class ScopeMatrix {

    private record Rule(RequestMatcher matcher, String scope) {
    }

    private static final PathPatternRequestMatcher.Builder PATHS = PathPatternRequestMatcher.withDefaults();

    private static final List<Rule> RULES = List.of(
            rule(HttpMethod.GET, "/api/v1/integration/me", ApiTokens.ANY_SCOPE),

            rule(HttpMethod.POST, "/api/v1/conversations/{id}/messages", Scope.MESSAGES_WRITE),
            rule(HttpMethod.PATCH, "/api/v1/conversations/{id}/messages/{messageId}", Scope.MESSAGES_WRITE),
            rule(HttpMethod.POST, "/api/v1/conversations/{id}/messages/{messageId}/recall", Scope.MESSAGES_WRITE),
            rule(HttpMethod.POST, "/api/v1/conversations/{id}/cards", Scope.MESSAGES_WRITE),
            rule(HttpMethod.PUT, "/api/v1/conversations/{id}/cards/{messageId}", Scope.MESSAGES_WRITE),
            rule(HttpMethod.PUT, "/api/v1/integration/groups/{externalKey}", Scope.MESSAGES_WRITE),

            rule(HttpMethod.GET, "/api/v1/conversations", Scope.MESSAGES_READ),
            rule(HttpMethod.GET, "/api/v1/conversations/{id}", Scope.MESSAGES_READ),
            rule(HttpMethod.GET, "/api/v1/conversations/{id}/members", Scope.MESSAGES_READ),
            rule(HttpMethod.GET, "/api/v1/conversations/{id}/messages", Scope.MESSAGES_READ),
            rule(HttpMethod.GET, "/api/v1/conversations/{id}/catch-up", Scope.MESSAGES_READ),

            rule(HttpMethod.GET, "/api/v1/org/departments/**", Scope.ORG_READ),
            rule(HttpMethod.GET, "/api/v1/org/departments", Scope.ORG_READ),
            rule(HttpMethod.GET, "/api/v1/org/users/**", Scope.ORG_READ),
            rule(HttpMethod.GET, "/api/v1/org/users", Scope.ORG_READ),

            rule(HttpMethod.POST, "/api/v1/approvals/instances", Scope.APPROVALS_SUBMIT),
            rule(HttpMethod.GET, "/api/v1/approvals/instances", Scope.APPROVALS_READ),
            rule(HttpMethod.GET, "/api/v1/approvals/instances/{id}", Scope.APPROVALS_READ),
            rule(HttpMethod.GET, "/api/v1/approvals/templates", Scope.APPROVALS_READ),
            rule(HttpMethod.GET, "/api/v1/approvals/templates/**", Scope.APPROVALS_READ),

            rule(null, "/api/v1/integration/subscriptions", Scope.WEBHOOKS_MANAGE),
            rule(null, "/api/v1/integration/subscriptions/**", Scope.WEBHOOKS_MANAGE),
            rule(null, "/api/v1/integration/commands", Scope.WEBHOOKS_MANAGE),
            rule(null, "/api/v1/integration/commands/**", Scope.WEBHOOKS_MANAGE),
            rule(null, "/api/v1/integration/interactivity", Scope.WEBHOOKS_MANAGE));

    private ScopeMatrix() {
    }

    static Optional<String> requiredScope(HttpServletRequest request) {
        return RULES.stream().filter(rule -> rule.matcher().matches(request)).map(Rule::scope).findFirst();
    }

    private static Rule rule(HttpMethod method, String pattern, Scope scope) {
        return rule(method, pattern, scope.value());
    }

    private static Rule rule(HttpMethod method, String pattern, String scope) {
        return new Rule(method == null ? PATHS.matcher(pattern) : PATHS.matcher(method, pattern), scope);
    }
}
