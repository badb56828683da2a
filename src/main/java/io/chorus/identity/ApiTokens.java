package io.chorus.identity;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Opaque API tokens that another module issues (the integration module's bot tokens). Identity
 * authenticates every REST request; when a bearer token is in this issuer's format it asks the
 * issuer who holds it instead of decoding it as a JWT. The holder's scopes become
 * {@code SCOPE_<scope>} authorities beside its roles, and the request authenticated by such a
 * token carries the token's id as its details.
 */
public interface ApiTokens {

    /** Whether the bearer token has this issuer's prefix, so it is never mistaken for a JWT. */
    boolean recognises(String bearerToken);

    /** Who holds the token, or empty when it is unknown, expired, revoked, or its bot is disabled. */
    Optional<Holder> holder(String bearerToken);

    /**
     * The scope a token must carry for this request: empty when API tokens may not make it at
     * all (everything not listed is closed to them), {@link #ANY_SCOPE} when any valid token may.
     * Checked before the endpoint's own rules, which apply as well.
     */
    Optional<String> requiredScope(HttpServletRequest request);

    /** {@link #requiredScope} for a request any valid token may make. */
    String ANY_SCOPE = "";

    /** @param tokenId the token's id: rate limits and the audit trail name it, never the token itself */
    record Holder(CurrentUser caller, Set<String> scopes, UUID tokenId) {

        public Holder {
            scopes = Set.copyOf(scopes);
        }
    }

    /** The authority a scope grants, as {@code @PreAuthorize("hasAuthority('SCOPE_org:read')")} checks it. */
    static String authority(String scope) {
        return "SCOPE_" + scope;
    }
}
