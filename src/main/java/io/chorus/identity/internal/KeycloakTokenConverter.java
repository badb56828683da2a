package io.chorus.identity.internal;

import io.chorus.identity.AccountDeactivatedException;
import io.chorus.identity.CurrentUser;
import io.chorus.identity.Role;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * The one place that knows Keycloak's token layout: realm roles under
 * {@code realm_access.roles}, the stable key in {@code sub}, the profile in
 * {@code preferred_username}, {@code name} and {@code email}. Local-mode tokens use the same layout.
 */
@Component
class KeycloakTokenConverter implements Converter<Jwt, AbstractAuthenticationToken> {

    private final UserSightings sightings;
    private final TokenSightings tokens;

    KeycloakTokenConverter(UserSightings sightings, TokenSightings tokens) {
        this.sightings = sightings;
        this.tokens = tokens;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        String username = Optional.ofNullable(jwt.getClaimAsString("preferred_username")).orElse(jwt.getSubject());
        String displayName = Optional.ofNullable(jwt.getClaimAsString("name")).orElse(username);
        Set<Role> roles = realmRoles(jwt);
        if (jwt.getSubject().startsWith(AccountStore.BOT_SUBJECT_PREFIX)) {
            // Checked before anything is written: a token must not create or rename a bot's account.
            throw botRefused();
        }
        AccountStore.Stored account = sightings.seen(new UserSightings.Sighting(new AccountStore.Profile(
                jwt.getSubject(), username, displayName, jwt.getClaimAsString("email")), roles))
                .orElseThrow(KeycloakTokenConverter::botRefused);
        if (!account.active()) {
            // The token outlives the account (Keycloak disabled or removed the user): it grants nothing.
            throw new AccountDeactivatedException();
        }
        tokens.seen(jwt, account.id());
        return new ChorusAuthentication(new CurrentUser(account.id(), username, displayName, roles),
                roles.contains(Role.INTEGRATION) ? scopes(jwt) : Set.of());
    }

    /**
     * A Keycloak service account (client credentials, realm role {@code integration}) is limited
     * by the client scopes its token carries, as a bot is by its token's: Keycloak names them in
     * the space-separated {@code scope} claim. A person's token grants no scopes.
     */
    static Set<String> scopes(Jwt jwt) {
        String scope = jwt.getClaimAsString("scope");
        return scope == null || scope.isBlank() ? Set.of() : Set.copyOf(Arrays.asList(scope.trim().split("\\s+")));
    }

    /** A bot posts through the module that owns it and never signs in; its subject grants nothing. */
    private static BadCredentialsException botRefused() {
        return new BadCredentialsException("A bot account cannot sign in.");
    }

    static Set<Role> realmRoles(Jwt jwt) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (jwt.getClaims().get("realm_access") instanceof Map<?, ?> realmAccess
                && realmAccess.get("roles") instanceof Collection<?> names) {
            names.forEach(name -> Role.fromClaim(String.valueOf(name)).ifPresent(roles::add));
        }
        return roles;
    }
}
