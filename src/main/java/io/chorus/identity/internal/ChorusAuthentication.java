package io.chorus.identity.internal;

import io.chorus.identity.CurrentUser;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An authenticated caller. Its name is the user's id, so STOMP user destinations are
 * addressed by id; it never exposes the token itself (nothing can log it by accident).
 */
final class ChorusAuthentication extends AbstractAuthenticationToken {

    private final CurrentUser user;

    ChorusAuthentication(CurrentUser user) {
        super(user.roles().stream().map(role -> new SimpleGrantedAuthority(role.authority())).toList());
        this.user = user;
        setAuthenticated(true);
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
