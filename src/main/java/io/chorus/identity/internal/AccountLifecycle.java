package io.chorus.identity.internal;

import io.chorus.identity.UserAccounts;
import io.chorus.identity.UserId;
import java.util.List;
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

    @Override
    @Transactional
    public UserId provision(DirectoryAccount account) {
        AccountStore.Stored stored = accounts.upsert(new UserSightings.Sighting(account.subject(), account.username(),
                account.displayName(), account.email()), false);
        accounts.setActive(stored.id(), account.enabled());
        sightings.forget(account.subject());
        return stored.id();
    }

    @Override
    @Transactional
    public void deactivate(UserId id) {
        accounts.setActive(id, false).ifPresent(sightings::forget);
    }

    @Override
    public List<AccountSummary> all() {
        return accounts.all();
    }
}
