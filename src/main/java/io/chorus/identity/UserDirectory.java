package io.chorus.identity;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Looks up users known to Chorus (seen in a token, seeded or synchronised). */
public interface UserDirectory {

    Optional<UserProfile> find(UserId id);

    /** The profiles of those ids that exist; unknown ids are simply absent from the map. */
    Map<UserId, UserProfile> findAll(Collection<UserId> ids);

    /** Active users by username, for resolving {@code @username} mentions. */
    Map<String, UserId> findActiveByUsernames(Collection<String> usernames);

    /** Users by username, deactivated ones too: for searching what former employees wrote. */
    Map<String, UserId> findByUsernames(Collection<String> usernames);

    /**
     * Active, non-bot users who held {@code role} the last time they were seen (a token, or
     * local-mode demo seeding), ordered by username. Someone granted the role in Keycloak who
     * has not called Chorus since is not among them yet; someone who lost it drops out with
     * their next token.
     */
    List<UserId> activeHolders(Role role);

    /**
     * The realm roles an active person held the last time they were seen; empty for a
     * deactivated or unknown user and for bots. What a bot may do is bounded by its owner's.
     */
    Set<Role> activeRoles(UserId user);
}
