package io.chorus.identity.internal;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface UserAccountRepository extends JpaRepository<UserAccount, UUID> {

    List<UserAccount> findByUsernameInAndActiveTrue(Collection<String> usernames);

    List<UserAccount> findByUsernameIn(Collection<String> usernames);
}
