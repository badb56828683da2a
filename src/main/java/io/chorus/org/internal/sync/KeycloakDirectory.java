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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
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

    private final OrgProperties.Sync settings;

    KeycloakDirectory(OrgProperties properties) {
        this.settings = properties.sync();
    }

    /**
     * The whole directory, plus which of {@code alsoCheck} (subjects Chorus knows that the user
     * list lacks) are gone from Keycloak. Users hidden from the list but still there, such as
     * service accounts, are not gone.
     */
    Read read(Collection<String> alsoCheck) {
        try (Keycloak keycloak = connect()) {
            RealmResource realm = keycloak.realm(settings.realm());
            List<DirectorySnapshot.Group> groups = new ArrayList<>();
            readGroups(realm, null, null, groups);
            Map<String, Set<String>> groupsOfUser = new HashMap<>();
            for (DirectorySnapshot.Group group : groups) {
                pages((first, max) -> realm.groups().group(group.id()).members(first, max, true))
                        .forEach(member -> groupsOfUser.computeIfAbsent(member.getId(), key -> new LinkedHashSet<>())
                                .add(group.id()));
            }
            List<DirectorySnapshot.Account> accounts = pages((first, max) -> realm.users().list(first, max)).stream()
                    // Service accounts belong to clients (integrations), not to the org chart.
                    .filter(user -> user.getServiceAccountClientId() == null)
                    .map(user -> account(user, groupsOfUser.getOrDefault(user.getId(), Set.of())))
                    .toList();
            Set<String> listed = new HashSet<>();
            accounts.forEach(account -> listed.add(account.subject()));
            Set<String> gone = new HashSet<>();
            for (String subject : alsoCheck) {
                if (!listed.contains(subject) && !exists(realm, subject)) {
                    gone.add(subject);
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
                ? pages((first, max) -> realm.groups().groups(null, first, max, false))
                : pages((first, max) -> realm.groups().group(parent.getId()).getSubGroups(first, max, false));
        for (GroupRepresentation group : level) {
            String path = (parentPath == null ? "" : parentPath) + "/" + group.getName();
            into.add(new DirectorySnapshot.Group(group.getId(), group.getName(), parent == null ? null : parent.getId(), path));
            readGroups(realm, group, path, into);
        }
    }

    private static boolean exists(RealmResource realm, String subject) {
        try {
            realm.users().get(subject).toRepresentation();
            return true;
        } catch (NotFoundException gone) {
            return false;
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

    private <T> List<T> pages(BiFunction<Integer, Integer, List<T>> page) {
        List<T> all = new ArrayList<>();
        int size = settings.pageSize();
        for (int first = 0; ; first += size) {
            List<T> batch = page.apply(first, size);
            all.addAll(batch);
            if (batch.size() < size) {
                return all;
            }
        }
    }
}
