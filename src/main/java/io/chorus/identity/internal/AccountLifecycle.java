package io.chorus.identity.internal;

import io.chorus.identity.UserAccounts;
import io.chorus.identity.UserId;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class AccountLifecycle implements UserAccounts {

    /** A bot's key is its username too; kept to what a mention or a log line can show plainly. */
    private static final Pattern BOT_KEY = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

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
        AccountStore.Profile profile = new AccountStore.Profile(account.subject(), account.username(),
                account.displayName(), account.email());
        Optional<AccountStore.Current> current = accounts.find(account.subject());
        if (current.isPresent() && current.get().profile().equals(profile) && current.get().active() == account.enabled()) {
            return current.get().id();
        }
        // The directory does not know realm roles: the ones the user's last token showed stay.
        AccountStore.Stored stored = accounts.upsert(profile, null, false).orElseThrow(() ->
                new IllegalArgumentException("The directory names a bot's subject: " + account.subject()));
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

    @Override
    public UserId provisionBot(String key, String displayName) {
        if (key == null || !BOT_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("A bot key is 1 to 63 lower-case letters, digits and dashes: " + key);
        }
        if (displayName == null || displayName.isBlank()) {
            throw new IllegalArgumentException("A bot needs a display name");
        }
        return accounts.provisionBot(key, displayName.strip());
    }
}
