package io.chorus.integration.internal;

import io.chorus.identity.ApiTokens;
import io.chorus.identity.CurrentUser;
import io.chorus.identity.Role;
import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Bots' API tokens: {@code chorus_bot_} and 43 characters of base64url (256 random bits), a
 * prefix secret scanners can be taught. Only the SHA-256 of a token is stored (the token is
 * random enough that a slow hash would add nothing). A token acts for its bot only while the
 * bot is switched on and its owner is active, and never with more than the owner could do.
 */
@Component
class BotTokens implements ApiTokens {

    static final String PREFIX = "chorus_bot_";

    private static final Duration USE_RESOLUTION = Duration.ofMinutes(1);

    private final TokenStore tokens;
    private final UserDirectory users;
    private final Clock clock;

    BotTokens(TokenStore tokens, UserDirectory users, Clock clock) {
        this.tokens = tokens;
        this.users = users;
        this.clock = clock;
    }

    static String newToken() {
        return Secrets.random(PREFIX);
    }

    /** What lists show of a token: enough to tell two apart, far too little to use. */
    static String hint(String token) {
        return token.substring(0, PREFIX.length() + 4) + "…";
    }


    @Override
    public boolean recognises(String bearerToken) {
        return bearerToken.startsWith(PREFIX);
    }

    @Override
    public Optional<Holder> holder(String bearerToken) {
        return tokens.holding(Secrets.sha256(bearerToken), clock.instant())
                .filter(holding -> !holding.botDisabled())
                .flatMap(holding -> {
                    Set<Role> ownerRoles = users.activeRoles(UserId.of(holding.ownerId()));
                    if (ownerRoles.isEmpty()) {
                        // A deactivated owner's bots stop with them.
                        return Optional.empty();
                    }
                    tokens.used(holding.tokenId(), clock.instant(), USE_RESOLUTION);
                    CurrentUser bot = new CurrentUser(UserId.of(holding.botId()), holding.key(),
                            holding.displayName(), botRoles(ownerRoles));
                    return Optional.of(new Holder(bot, holding.scopes(), holding.tokenId()));
                });
    }

    /**
     * A bot acts as an employee (members add it to conversations; what it reads and writes there
     * follows chat's rules), and as an integration (filing approvals for others) only while its
     * owner holds that role too: it never gains a right its owner lacks, and never org_admin or
     * compliance rights, whatever its owner holds.
     */
    static Set<Role> botRoles(Set<Role> ownerRoles) {
        Set<Role> roles = EnumSet.of(Role.EMPLOYEE);
        if (ownerRoles.contains(Role.INTEGRATION)) {
            roles.add(Role.INTEGRATION);
        }
        return roles;
    }

    @Override
    public Optional<String> requiredScope(HttpServletRequest request) {
        return ScopeMatrix.requiredScope(request);
    }
}
