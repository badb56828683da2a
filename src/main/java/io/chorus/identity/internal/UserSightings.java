package io.chorus.identity.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chorus.identity.Role;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records that a user was seen in a token: the first sight creates their account, a changed
 * name, email or set of realm roles updates it. Every authenticated request passes through
 * here, so an unchanged token is answered from memory and costs no database round trip.
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

    /** What a token says about a person: their profile and the realm roles Chorus knows. */
    record Sighting(AccountStore.Profile profile, Set<Role> roles) {

        Sighting {
            roles = Set.copyOf(roles);
        }
    }

    private record Known(Sighting sighting, AccountStore.Stored account) {
    }

    /** The person's account; empty when the subject is a bot's, which no token may use. */
    Optional<AccountStore.Stored> seen(Sighting sighting) {
        String subject = sighting.profile().subject();
        Known cached = known.getIfPresent(subject);
        if (cached != null && cached.sighting().equals(sighting)) {
            return Optional.of(cached.account());
        }
        Optional<AccountStore.Stored> account = accounts.upsert(sighting.profile(), sighting.roles(), true);
        account.ifPresent(stored -> known.put(subject, new Known(sighting, stored)));
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
