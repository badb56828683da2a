package io.chorus.org.internal;

import io.chorus.identity.IdentityEvents.UserAccountChanged;
import java.time.Clock;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Keeps each user's directory entry in step with their account, whatever order the events arrive
 * in. Bots get none: they are nobody's employee, so no search, department or manager chain shows them.
 */
@Component
class EmployeeEntries {

    private final EmployeeStore employees;
    private final SearchKeys keys;
    private final Clock clock;

    EmployeeEntries(EmployeeStore employees, SearchKeys keys, Clock clock) {
        this.employees = employees;
        this.keys = keys;
        this.clock = clock;
    }

    @ApplicationModuleListener
    void on(UserAccountChanged changed) {
        if (changed.bot()) {
            return;
        }
        employees.upsertProfile(changed.userId().value(), changed.username(), changed.displayName(), changed.email(),
                changed.active(), changed.version(),
                keys.keysFor(changed.username(), changed.displayName(), changed.email()), clock.instant());
    }
}
