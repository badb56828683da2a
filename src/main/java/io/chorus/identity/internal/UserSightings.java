package io.chorus.identity.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.springframework.stereotype.Component;

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
     * evicts the subject at once, so a retired user's next request is refused.
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

    void forget(String subject) {
        known.invalidate(subject);
    }
}
