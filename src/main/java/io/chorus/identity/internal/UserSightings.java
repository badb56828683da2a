package io.chorus.identity.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records that a user was seen in a token: the first sight creates their account, a changed
 * name or email updates it. Every authenticated request passes through here, so an unchanged
 * profile is answered from memory and costs no database round trip.
 */
@Component
class UserSightings {

    private final AccountStore accounts;
    /**
     * The profile last written for each subject. Keyed by subject, not by the whole sighting:
     * a profile that changes and then changes back must be written both times. Deactivation
     * evicts the subject as soon as it commits, so a retired user's next request is refused.
     */
    private final Cache<String, Known> known = Caffeine.newBuilder()
            .maximumSize(50_000)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    UserSightings(AccountStore accounts) {
        this.accounts = accounts;
    }

    /** The identity-provider facts about a user that Chorus keeps. */
    record Sighting(String subject, String username, String displayName, String email) {
    }

    private record Known(Sighting sighting, AccountStore.Stored account) {
    }

    AccountStore.Stored seen(Sighting sighting) {
        Known cached = known.getIfPresent(sighting.subject());
        if (cached != null && cached.sighting().equals(sighting)) {
            return cached.account();
        }
        AccountStore.Stored account = accounts.upsert(sighting, true);
        known.put(sighting.subject(), new Known(sighting, account));
        return account;
    }

    /**
     * Forgets the subject once the change to their account is committed: the next request then
     * reads the committed account, and a change that rolls back (a failed sync) forgets nobody
     * and costs nobody a write on their next request.
     */
    void forgetOnceCommitted(String subject) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            known.invalidate(subject);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                known.invalidate(subject);
            }
        });
    }
}
