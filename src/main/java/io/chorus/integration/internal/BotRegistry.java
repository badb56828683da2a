package io.chorus.integration.internal;

import io.chorus.identity.CurrentUser;
import io.chorus.identity.Role;
import io.chorus.identity.UserAccounts;
import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import io.chorus.identity.UserProfile;
import io.chorus.integration.Bots;
import io.chorus.integration.IntegrationEvents;
import io.chorus.integration.IntegrationProblems;
import io.chorus.integration.Scope;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** {@link Bots}: who may manage which bot, and the rules for keys, owners, scopes and lifetimes. */
@Service
class BotRegistry implements Bots {

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9-]{1,39}");
    private static final int MAX_TOKEN_NAME = 80;

    /**
     * Keys an integration bot may not take: Chorus's own bots (provisioned when first needed, so
     * possibly not yet an account) and words people read as the system speaking. Incoming
     * webhooks' bots are named {@code hook-...}.
     */
    private static final Set<String> RESERVED = Set.of("approvals", "chorus", "system", "admin", "administrator",
            "root", "security", "support", "all", "everyone", "here", "channel");
    private static final String HOOK_PREFIX = "hook-";

    private final BotStore bots;
    private final TokenStore tokens;
    private final UserAccounts accounts;
    private final UserDirectory users;
    private final IntegrationProperties properties;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    BotRegistry(BotStore bots, TokenStore tokens, UserAccounts accounts, UserDirectory users,
            IntegrationProperties properties, ApplicationEventPublisher events, Clock clock) {
        this.bots = bots;
        this.tokens = tokens;
        this.accounts = accounts;
        this.users = users;
        this.properties = properties;
        this.events = events;
        this.clock = clock;
    }

    @Override
    @Transactional
    public Bot create(CurrentUser caller, NewBot command) {
        if (!caller.has(Role.ORG_ADMIN)) {
            throw ChorusProblem.forbidden(ProblemCodes.FORBIDDEN, "Only org_admins create bots.");
        }
        String key = command.key();
        if (key == null || !KEY.matcher(key).matches()) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "key must be 2 to 40 lower-case letters, digits and dashes, starting with a letter.");
        }
        String name = BotLooks.name("displayName", command.displayName());
        String avatar = BotLooks.avatarUrl(command.avatarUrl());
        UUID owner = owner(command.ownerId() == null ? caller.id().value() : command.ownerId());
        // @key must name one account: a person's username or a built-in bot's key is taken.
        if (RESERVED.contains(key) || key.startsWith(HOOK_PREFIX) || !users.findByUsernames(List.of(key)).isEmpty()) {
            throw taken(key);
        }
        UserId account = accounts.provisionBot(key, name);
        Bot bot = new Bot(account.value(), key, name, avatar, owner, clock.instant(), false);
        if (!bots.insert(bot, caller.id().value())) {
            throw taken(key);
        }
        events.publishEvent(new IntegrationEvents.BotCreated(bot.id(), key, name, UserId.of(owner), caller.id(),
                bot.createdAt()));
        return bot;
    }

    @Override
    @Transactional(readOnly = true)
    public List<Bot> list(CurrentUser caller) {
        return bots.list(caller.has(Role.ORG_ADMIN) ? null : caller.id().value());
    }

    @Override
    @Transactional(readOnly = true)
    public Bot get(CurrentUser caller, UUID botId) {
        return visible(caller, bots.find(botId).orElse(null));
    }

    @Override
    @Transactional
    public Bot change(CurrentUser caller, UUID botId, BotChange change) {
        Bot bot = visible(caller, bots.findForUpdate(botId).orElse(null));
        UUID owner = bot.ownerId();
        if (change.ownerId() != null && !change.ownerId().equals(owner)) {
            if (!caller.has(Role.ORG_ADMIN)) {
                throw ChorusProblem.forbidden(ProblemCodes.FORBIDDEN, "Only an org_admin hands a bot to another owner.");
            }
            owner = owner(change.ownerId());
        }
        String name = change.displayName() == null ? bot.displayName()
                : BotLooks.name("displayName", change.displayName());
        String avatar = change.avatarUrl() == null ? bot.avatarUrl()
                : change.avatarUrl().isEmpty() ? null : BotLooks.avatarUrl(change.avatarUrl());
        boolean disabled = change.disabled() == null ? bot.disabled() : change.disabled();
        boolean admin = caller.has(Role.ORG_ADMIN);
        if (bot.disabled() && !disabled && !admin && bots.disabledByAdmin(bot.id())) {
            // An org_admin's switch-off (an incident, say) is not the owner's to undo.
            throw ChorusProblem.forbidden(ProblemCodes.FORBIDDEN,
                    "An org_admin switched this bot off: only an org_admin switches it on again.");
        }
        Bot changed = new Bot(bot.id(), bot.key(), name, avatar, owner, bot.createdAt(), disabled);
        if (changed.equals(bot)) {
            return bot;
        }
        Instant now = clock.instant();
        bots.update(bot.id(), name, avatar, owner, disabled, admin && Boolean.TRUE.equals(change.disabled()), now);
        if (!name.equals(bot.displayName())) {
            accounts.provisionBot(bot.key(), name);
        }
        events.publishEvent(new IntegrationEvents.BotChanged(bot.id(), name, avatar, UserId.of(owner), disabled,
                caller.id(), now));
        return changed;
    }

    @Override
    @Transactional
    public Issued issue(CurrentUser caller, UUID botId, NewToken command) {
        Bot bot = visible(caller, bots.findForUpdate(botId).orElse(null));
        String name = command.name() == null || command.name().isBlank() ? "token" : command.name().strip();
        if (name.length() > MAX_TOKEN_NAME) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "name is at most " + MAX_TOKEN_NAME + " characters.");
        }
        Duration lifetime = command.lifetime() == null ? properties.tokenLifetime() : command.lifetime();
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(properties.maxTokenLifetime()) > 0) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "A token lives at least a second and at most " + properties.maxTokenLifetime().toDays() + " days.");
        }
        return issue(caller, bot, name, scopes(command.scopes()), lifetime, null);
    }

    @Override
    @Transactional(readOnly = true)
    public List<Token> tokens(CurrentUser caller, UUID botId) {
        Bot bot = visible(caller, bots.find(botId).orElse(null));
        return tokens.list(bot.id());
    }

    @Override
    @Transactional
    public Issued rotate(CurrentUser caller, UUID botId, UUID tokenId) {
        Bot bot = visible(caller, bots.findForUpdate(botId).orElse(null));
        Token old = tokens.findForUpdate(bot.id(), tokenId).orElseThrow(BotRegistry::noSuchToken);
        Instant now = clock.instant();
        if (old.revokedAt() != null || !old.expiresAt().isAfter(now) || old.rotatedTo() != null) {
            throw ChorusProblem.conflict(IntegrationProblems.TOKEN_INACTIVE,
                    "This token is revoked, expired or already rotated: issue a new one.");
        }
        Duration lifetime = Duration.between(old.createdAt(), old.expiresAt());
        Issued issued = issue(caller, bot, old.name(), old.scopes(), lifetime, old.id());
        tokens.rotated(old.id(), issued.token().id(), now.plus(properties.rotationOverlap()));
        return issued;
    }

    @Override
    @Transactional
    public void revoke(CurrentUser caller, UUID botId, UUID tokenId) {
        Bot bot = visible(caller, bots.find(botId).orElse(null));
        Token token = tokens.findForUpdate(bot.id(), tokenId).orElseThrow(BotRegistry::noSuchToken);
        if (token.revokedAt() != null) {
            return;
        }
        Instant now = clock.instant();
        tokens.revoke(token.id(), now);
        events.publishEvent(new IntegrationEvents.TokenRevoked(token.id(), bot.id(), caller.id(), now));
    }

    @Override
    @Transactional(readOnly = true)
    public boolean active(UUID botId) {
        return bots.find(botId).filter(bot -> !bot.disabled())
                .map(bot -> !users.activeRoles(UserId.of(bot.ownerId())).isEmpty()).orElse(false);
    }

    private Issued issue(CurrentUser caller, Bot bot, String name, Set<String> scopes, Duration lifetime,
            UUID rotatedFrom) {
        String secret = BotTokens.newToken();
        Instant now = clock.instant();
        Token token = new Token(UUID.randomUUID(), bot.id(), name, BotTokens.hint(secret), scopes, now,
                now.plus(lifetime), null, null, null);
        tokens.insert(token, Secrets.sha256(secret), caller.id().value());
        events.publishEvent(new IntegrationEvents.TokenIssued(token.id(), bot.id(), name, token.hint(),
                scopes.stream().sorted().toList(), token.expiresAt(), rotatedFrom, caller.id(), now));
        return new Issued(secret, token);
    }

    /** The caller's bot, or any for an org_admin; others get 404 (a bot's existence is not theirs to learn). */
    private static Bot visible(CurrentUser caller, Bot bot) {
        if (bot == null || !(caller.has(Role.ORG_ADMIN) || bot.ownerId().equals(caller.id().value()))) {
            throw ChorusProblem.notFound(IntegrationProblems.BOT_NOT_FOUND, "No such bot.");
        }
        return bot;
    }

    private UUID owner(UUID candidate) {
        UserProfile profile = users.find(UserId.of(candidate)).filter(UserProfile::active)
                .filter(found -> !found.bot()).orElseThrow(() -> ChorusProblem.unprocessable(
                        IntegrationProblems.BOT_OWNER_INVALID, "A bot's owner is an active person."));
        return profile.id().value();
    }

    private static Set<String> scopes(Set<String> requested) {
        if (requested == null || requested.isEmpty()) {
            throw ChorusProblem.badRequest(IntegrationProblems.UNKNOWN_SCOPE, "A token needs at least one scope.");
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String scope : requested) {
            scopes.add(Scope.of(scope).orElseThrow(() -> ChorusProblem.badRequest(IntegrationProblems.UNKNOWN_SCOPE,
                    "Unknown scope '" + scope + "'.")).value());
        }
        return Set.copyOf(scopes);
    }



    private static ChorusProblem taken(String key) {
        return ChorusProblem.conflict(IntegrationProblems.BOT_KEY_TAKEN, "'" + key + "' is already someone's name.");
    }

    private static ChorusProblem noSuchToken() {
        return ChorusProblem.notFound(IntegrationProblems.TOKEN_NOT_FOUND, "No such token.");
    }
}
