package io.chorus.identity;

import java.security.Principal;
import java.util.Set;
import org.springframework.security.core.Authentication;

/** The authenticated caller of a REST request or a STOMP session. */
public record CurrentUser(UserId id, String username, String displayName, Set<Role> roles) {

    public CurrentUser {
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** The caller behind a STOMP session's or a request's principal. */
    public static CurrentUser of(Principal principal) {
        if (principal instanceof Authentication authentication
                && authentication.getPrincipal() instanceof CurrentUser user) {
            return user;
        }
        throw new IllegalStateException("Not a Chorus principal: " + (principal == null ? null : principal.getClass()));
    }
}
