package io.chorus.identity.internal;

import io.chorus.identity.UserAccounts;
import io.chorus.identity.UserId;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class AccountLifecycle implements UserAccounts {

    private final AccountStore accounts;
    private final UserSightings sightings;

    AccountLifecycle(AccountStore accounts, UserSightings sightings) {
        this.accounts = accounts;
        this.sightings = sightings;
    }

    /**
     * An account the directory describes as it is stored costs a read and nothing else: no row
     * version, no event, no forgotten sighting. A sync of an unchanged directory writes nothing.
     */
    @Override
    @Transactional
    public UserId provision(DirectoryAccount account) {
        UserSightings.Sighting sighting = new UserSightings.Sighting(account.subject(), account.username(),
                account.displayName(), account.email());
        Optional<AccountStore.Current> current = accounts.find(account.subject());
        if (current.isPresent() && current.get().profile().equals(sighting) && current.get().active() == account.enabled()) {
            return current.get().id();
        }
        AccountStore.Stored stored = accounts.upsert(sighting, false);
        accounts.setActive(stored.id(), account.enabled());
        sightings.forgetOnceCommitted(account.subject());
        return stored.id();
    }

    @Override
    @Transactional
    public void deactivate(UserId id) {
        accounts.setActive(id, false).ifPresent(sightings::forgetOnceCommitted);
    }

    @Override
    public List<AccountSummary> all() {
        return accounts.all();
    }
}
