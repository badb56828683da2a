package io.chorus.identity.internal;

import io.chorus.identity.Role;
import io.chorus.identity.internal.local.LocalMode;
import io.chorus.identity.internal.local.LocalTokenIssuer;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Local mode: the demo users exist from the start, with their configured roles, so alice can
 * open a chat with bob before bob ever signs in and dave is an org_admin approvals can escalate
 * to before he does. Re-running it changes nothing.
 */
@Component
@LocalMode
@Order(0)
class DemoUserSeeder implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoUserSeeder.class);

    private final IdentityProperties properties;
    private final AccountStore accounts;

    DemoUserSeeder(IdentityProperties properties, AccountStore accounts) {
        this.properties = properties;
        this.accounts = accounts;
    }

    @Override
    public void run(ApplicationArguments args) {
        properties.local().demoUsers().forEach(user -> accounts.upsert(new AccountStore.Profile(
                LocalTokenIssuer.subjectOf(user.username()), user.username(), user.displayName(), user.email()),
                user.roles().stream().map(Role::fromClaim).flatMap(Optional::stream).collect(Collectors.toSet()),
                false));
        log.info("Local mode: demo users {}", properties.local().demoUsers().stream()
                .map(user -> user.username() + " " + user.roles()).toList());
    }
}
