package io.chorus.org.internal.sync;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything a sync needs from the directory, read completely before anything is written:
 * a sync that cannot read it all changes nothing.
 */
record DirectorySnapshot(List<Group> groups, List<Account> accounts) {

    /** A Keycloak group: {@code parentId} null for a top-level group; {@code path} like /Headquarters/Finance. */
    record Group(String id, String name, String parentId, String path) {
    }

    /**
     * A Keycloak user. {@code groupIds} are the groups they are a direct member of; title,
     * primary department (a group path or name) and manager (a username) come from attributes.
     */
    record Account(String subject, String username, String displayName, String email, boolean enabled,
            Set<String> groupIds, String title, String primaryDepartment, String manager) {
    }

    Map<String, Group> groupsById() {
        return groups.stream().collect(Collectors.toMap(Group::id, group -> group));
    }
}
