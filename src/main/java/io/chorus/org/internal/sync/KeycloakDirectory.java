package io.chorus.org.internal.sync;

import io.chorus.org.internal.OrgProperties;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.client.ClientBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.springframework.stereotype.Component;

/**
 * Reads the realm's groups, users and group memberships through Keycloak's admin API as the
 * sync service account (client credentials; read-only realm-management roles suffice).
 */
@Component
class KeycloakDirectory {

    private static final int READ_ATTEMPTS = 3;

    private final OrgProperties.Sync settings;

    KeycloakDirectory(OrgProperties properties) {
        this.settings = properties.sync();
    }

    /**
     * The whole directory, plus which of {@code alsoCheck} (subjects Chorus knows that the user
     * list lacks) are gone from Keycloak. Users hidden from the list but still there are not gone:
     * service accounts stay out of the snapshot, anyone else is in it as if listed.
     */
    Read read(Collection<String> alsoCheck) {
        try (Keycloak keycloak = connect()) {
            RealmResource realm = keycloak.realm(settings.realm());
            List<DirectorySnapshot.Group> groups = new ArrayList<>();
            readGroups(realm, null, null, groups);
            Map<String, Set<String>> groupsOfUser = new HashMap<>();
            for (DirectorySnapshot.Group group : groups) {
                pages("members of " + group.path(),
                        (first, max) -> realm.groups().group(group.id()).members(first, max, true), UserRepresentation::getId)
                        .forEach(member -> groupsOfUser.computeIfAbsent(member.getId(), key -> new LinkedHashSet<>())
                                .add(group.id()));
            }
            List<DirectorySnapshot.Account> accounts = new ArrayList<>();
            Set<String> listed = new HashSet<>();
            for (UserRepresentation user : pages("user list", (first, max) -> userPage(realm, first, max),
                    UserRepresentation::getId)) {
                listed.add(user.getId());
                // Service accounts belong to clients (integrations), not to the org chart.
                if (user.getServiceAccountClientId() == null) {
                    accounts.add(account(user, groupsOfUser.getOrDefault(user.getId(), Set.of())));
                }
            }
            Set<String> gone = new HashSet<>();
            for (String subject : alsoCheck) {
                if (listed.contains(subject)) {
                    continue;
                }
                Optional<UserRepresentation> user = user(realm, subject);
                if (user.isEmpty()) {
                    gone.add(subject);
                } else if (user.get().getServiceAccountClientId() == null) {
                    // Missing from the list yet there: part of the directory all the same, not a leaver.
                    accounts.add(account(user.get(), groupsOfUser.getOrDefault(subject, Set.of())));
                }
            }
            return new Read(new DirectorySnapshot(groups, accounts), gone);
        }
    }

    record Read(DirectorySnapshot snapshot, Set<String> goneSubjects) {
    }

    private Keycloak connect() {
        return KeycloakBuilder.builder()
                .serverUrl(settings.serverUrl())
                .realm(settings.realm())
                .grantType(OAuth2Constants.CLIENT_CREDENTIALS)
                .clientId(settings.clientId())
                .clientSecret(settings.clientSecret())
                // A hung Keycloak must fail the run, not hold the sync lock forever.
                .resteasyClient(ClientBuilder.newBuilder()
                        .connectTimeout(10, TimeUnit.SECONDS)
                        .readTimeout(60, TimeUnit.SECONDS)
                        .build())
                .build();
    }

    private void readGroups(RealmResource realm, GroupRepresentation parent, String parentPath,
            List<DirectorySnapshot.Group> into) {
        List<GroupRepresentation> level = parent == null
                ? pages("top-level groups", (first, max) -> realm.groups().groups(null, first, max, false),
                        GroupRepresentation::getId)
                : pages("subgroups of " + parentPath, (first, max) ->
                        realm.groups().group(parent.getId()).getSubGroups(first, max, false), GroupRepresentation::getId);
        for (GroupRepresentation group : level) {
            String path = (parentPath == null ? "" : parentPath) + "/" + group.getName();
            into.add(new DirectorySnapshot.Group(group.getId(), group.getName(), parent == null ? null : parent.getId(), path));
            readGroups(realm, group, path, into);
        }
    }

    /** One page of the realm's users, in Keycloak's order (by username). */
    List<UserRepresentation> userPage(RealmResource realm, int first, int max) {
        return realm.users().list(first, max);
    }

    /** The user, if Keycloak still has them. */
    Optional<UserRepresentation> user(RealmResource realm, String subject) {
        try {
            return Optional.of(realm.users().get(subject).toRepresentation());
        } catch (NotFoundException gone) {
            return Optional.empty();
        }
    }

    private DirectorySnapshot.Account account(UserRepresentation user, Set<String> groupIds) {
        OrgProperties.Attributes names = settings.attributes();
        return new DirectorySnapshot.Account(user.getId(), user.getUsername(), displayName(user), user.getEmail(),
                Boolean.TRUE.equals(user.isEnabled()), groupIds,
                attribute(user, names.title()), attribute(user, names.primaryDepartment()), attribute(user, names.manager()));
    }

    /** As Keycloak's "full name" token mapper writes it, so a sign-in does not change it back. */
    private static String displayName(UserRepresentation user) {
        String name = String.join(" ", Stream.of(user.getFirstName(), user.getLastName())
                .filter(part -> part != null && !part.isBlank()).toList());
        return name.isBlank() ? user.getUsername() : name;
    }

    private static String attribute(UserRepresentation user, String name) {
        Map<String, List<String>> attributes = user.getAttributes();
        List<String> values = attributes == null ? null : attributes.get(name);
        return values == null || values.isEmpty() || values.getFirst().isBlank() ? null : values.getFirst().strip();
    }

    /**
     * A whole list, read page by page in Keycloak's order (users and members by username, groups by
     * name). Each page after the first starts one item early, on the previous page's last item: when
     * that item is not where it was, someone added or removed an item already read, everything after
     * it shifted, and plain offset paging would skip or repeat one. The list is then read again from
     * the start; a list that keeps changing fails the run rather than giving it a wrong view.
     */
    private <T> List<T> pages(String what, BiFunction<Integer, Integer, List<T>> page, Function<T, String> idOf) {
        int size = Math.max(2, settings.pageSize());
        for (int attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
            List<T> all = read(page, idOf, size);
            if (all != null) {
                return all;
            }
        }
        throw new IllegalStateException("Keycloak's " + what + " kept changing while it was read (" + READ_ATTEMPTS
                + " attempts); the next run will try again");
    }

    /** The list, or null when it shifted under the reading. */
    private static <T> List<T> read(BiFunction<Integer, Integer, List<T>> page, Function<T, String> idOf, int size) {
        List<T> all = new ArrayList<>(page.apply(0, size));
        if (all.size() < size) {
            return all;
        }
        while (true) {
            String last = idOf.apply(all.getLast());
            List<T> batch = page.apply(all.size() - 1, size);
            if (batch.isEmpty() || !idOf.apply(batch.getFirst()).equals(last)) {
                return null;
            }
            all.addAll(batch.subList(1, batch.size()));
            if (batch.size() < size) {
                return all;
            }
        }
    }
}
