package io.chorus.identity.internal;

import io.chorus.identity.Role;
import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import io.chorus.identity.UserProfile;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
@Transactional(readOnly = true)
class JpaUserDirectory implements UserDirectory {

    private final UserAccountRepository accounts;
    private final AccountStore store;

    JpaUserDirectory(UserAccountRepository accounts, AccountStore store) {
        this.accounts = accounts;
        this.store = store;
    }

    @Override
    public Optional<UserProfile> find(UserId id) {
        return accounts.findById(id.value()).map(JpaUserDirectory::profile);
    }

    @Override
    public Map<UserId, UserProfile> findAll(Collection<UserId> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return accounts.findAllById(ids.stream().map(UserId::value).distinct().toList()).stream()
                .map(JpaUserDirectory::profile)
                .collect(Collectors.toMap(UserProfile::id, Function.identity()));
    }

    @Override
    public Map<String, UserId> findActiveByUsernames(Collection<String> usernames) {
        if (usernames.isEmpty()) {
            return Map.of();
        }
        return byUsername(accounts.findByUsernameInAndActiveTrue(usernames));
    }

    @Override
    public Map<String, UserId> findByUsernames(Collection<String> usernames) {
        if (usernames.isEmpty()) {
            return Map.of();
        }
        return byUsername(accounts.findByUsernameIn(usernames));
    }

    @Override
    public List<UserId> activeHolders(Role role) {
        return store.activeHolders(role);
    }

    @Override
    public Set<Role> activeRoles(UserId user) {
        return store.activeRoles(user);
    }

    private static Map<String, UserId> byUsername(List<UserAccount> found) {
        // Keycloak usernames are unique per realm; should two sources ever share one, the first wins,
        // except that a person always wins over a bot named the same: "@approvals" means them.
        return found.stream().sorted(Comparator.comparing(UserAccount::bot))
                .collect(Collectors.toMap(UserAccount::username, account -> UserId.of(account.id()),
                        (first, second) -> first));
    }

    private static UserProfile profile(UserAccount account) {
        return new UserProfile(UserId.of(account.id()), account.username(), account.displayName(),
                account.email(), account.active(), account.bot());
    }
}
