package io.chorus.identity.internal;

import io.chorus.identity.ApiTokens;
import io.chorus.identity.CurrentUser;
import io.chorus.identity.Role;
import java.util.Set;
import java.util.stream.Stream;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An authenticated caller. Its name is the user's id, so STOMP user destinations are
 * addressed by id; it never exposes the token itself (nothing can log it by accident).
 */
final class ChorusAuthentication extends AbstractAuthenticationToken {

    private final CurrentUser user;

    ChorusAuthentication(CurrentUser user) {
        this(user, Set.of());
    }

    /** @param scopes what an integration's token allows, granted as {@code SCOPE_<scope>} authorities */
    ChorusAuthentication(CurrentUser user, Set<String> scopes) {
        super(Stream.concat(user.roles().stream().map(Role::authority), scopes.stream().map(ApiTokens::authority))
                .map(SimpleGrantedAuthority::new).toList());
        this.user = user;
        setAuthenticated(true);
    }

    /** Authenticated by a bot's API token (its id is the details), not by a person's or service account's JWT. */
    boolean byApiToken() {
        return getDetails() instanceof java.util.UUID;
    }

    @Override
    public CurrentUser getPrincipal() {
        return user;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public String getName() {
        return user.id().toString();
    }
}
