package io.chorus.org.internal.sync;

import io.chorus.identity.UserAccounts;
import io.chorus.identity.UserAccounts.AccountSummary;
import io.chorus.identity.UserAccounts.DirectoryAccount;
import io.chorus.identity.UserId;
import io.chorus.org.DepartmentId;
import io.chorus.org.OrgChart;
import io.chorus.org.internal.DepartmentStore;
import io.chorus.org.internal.DepartmentStore.DepartmentRow;
import io.chorus.org.internal.EmployeeStore;
import io.chorus.org.internal.MembershipStore;
import io.chorus.org.internal.MembershipStore.MembershipRow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes the org chart match a directory snapshot, in one transaction: on any failure nothing
 * is kept. Only what differs is written, so applying the same snapshot twice changes nothing
 * the second time. Departments without a Keycloak group (made by hand before sync was turned
 * on) are left alone. So is whatever the snapshot says that cannot be applied (a group without
 * a usable name, a user naming a manager who is not there): that item stays as it was, with the
 * reason in the report, and everything else, deactivations above all, is applied.
 */
@Component
class SnapshotApplier {

    private static final int MAX_NAME_LENGTH = 100;

    private final DepartmentStore departments;
    private final MembershipStore memberships;
    private final EmployeeStore employees;
    private final OrgChart chart;
    private final UserAccounts accounts;

    SnapshotApplier(DepartmentStore departments, MembershipStore memberships, EmployeeStore employees, OrgChart chart,
            UserAccounts accounts) {
        this.departments = departments;
        this.memberships = memberships;
        this.employees = employees;
        this.chart = chart;
        this.accounts = accounts;
    }

    /** Counts of what changed, in report order, and what was left as it was and why. */
    record Changes(int departmentsCreated, int departmentsUpdated, int departmentsDeleted, int accountsCreated,
            int accountsDeactivated, int accountsReactivated, int membershipsAdded, int membershipsUpdated,
            int membershipsRemoved, int managersChanged, List<String> problems) {
    }

    /**
     * What the snapshot says but cannot be applied, each left as it was in the org chart: groups
     * (with their subgroups) by id, users' departments and users' managers by subject.
     */
    private record Left(Set<String> groups, Set<String> membershipsOf, Set<String> managersOf) {
    }

    @Transactional
    Changes apply(DirectorySnapshot snapshot, Set<String> goneSubjects) {
        departments.lockTree();
        Counter count = new Counter();
        Left left = unusable(snapshot, count.problems);
        Set<UUID> kept = departments.all().stream()
                .filter(row -> row.externalId() != null && left.groups().contains(row.externalId()))
                .map(DepartmentRow::id).collect(Collectors.toSet());
        Map<String, UUID> departmentOfGroup = syncDepartments(snapshot, left, count);
        Map<String, UserId> userOfSubject = syncAccounts(snapshot, goneSubjects, count);
        syncMemberships(snapshot, departmentOfGroup, kept, userOfSubject, left, count);
        syncManagers(snapshot, userOfSubject, left, count);
        Set<UUID> stillThere = new HashSet<>(departmentOfGroup.values());
        stillThere.addAll(kept);
        deleteVanishedDepartments(stillThere, count);
        return count.changes();
    }

    /**
     * Finds what cannot be applied. Every check is made here, before anything is written: an
     * org chart refusal thrown halfway would roll back the whole run, deactivations included.
     */
    private Left unusable(DirectorySnapshot snapshot, List<String> problems) {
        Set<String> groups = new HashSet<>();
        // Parents come first, so a bad group's subgroups are known to be below one when they come.
        for (DirectorySnapshot.Group group : snapshot.groups()) {
            if (group.parentId() != null && groups.contains(group.parentId())) {
                groups.add(group.id());
            } else if (group.name() == null || group.name().isBlank() || group.name().strip().length() > MAX_NAME_LENGTH) {
                groups.add(group.id());
                problems.add("Group " + group.path() + " needs a name of 1 to " + MAX_NAME_LENGTH
                        + " characters; it and its subgroups were left as they were.");
            }
        }
        Map<String, DirectorySnapshot.Account> byUsername = snapshot.accounts().stream()
                .collect(Collectors.toMap(DirectorySnapshot.Account::username, Function.identity(), (a, b) -> a));
        Map<String, DirectorySnapshot.Group> groupsById = snapshot.groupsById();
        Set<String> membershipsOf = new HashSet<>();
        Set<String> managersOf = new HashSet<>();
        for (DirectorySnapshot.Account account : snapshot.accounts()) {
            if (account.title() != null && account.title().length() > MAX_NAME_LENGTH) {
                membershipsOf.add(account.subject());
                problems.add("User " + account.username() + " has a title longer than " + MAX_NAME_LENGTH
                        + " characters; their departments were left as they were.");
            } else if (account.primaryDepartment() != null && primaryGroup(account, groupsById) == null) {
                membershipsOf.add(account.subject());
                problems.add("User " + account.username() + " names primary department '" + account.primaryDepartment()
                        + "', which is not one of their groups; their departments were left as they were.");
            }
            if (account.manager() != null && !byUsername.containsKey(account.manager())) {
                managersOf.add(account.subject());
                problems.add("User " + account.username() + " names manager '" + account.manager()
                        + "', who is not in the directory; their manager was left as it was.");
            } else if (managesThemself(account, byUsername)) {
                managersOf.add(account.subject());
                problems.add("User " + account.username() + " is their own manager through the manager attribute;"
                        + " their manager was left as it was.");
            }
        }
        return new Left(groups, membershipsOf, managersOf);
    }

    private static boolean managesThemself(DirectorySnapshot.Account account,
            Map<String, DirectorySnapshot.Account> byUsername) {
        Set<String> seen = new HashSet<>();
        for (String manager = account.manager(); manager != null && seen.add(manager);
                manager = byUsername.containsKey(manager) ? byUsername.get(manager).manager() : null) {
            if (manager.equals(account.username())) {
                return true;
            }
        }
        return false;
    }

    /** Groups arrive parents first, so a parent's department exists before its children's. */
    private Map<String, UUID> syncDepartments(DirectorySnapshot snapshot, Left left, Counter count) {
        Map<String, DepartmentRow> synced = departments.all().stream().filter(row -> row.externalId() != null)
                .collect(Collectors.toMap(DepartmentRow::externalId, Function.identity()));
        Map<String, UUID> departmentOfGroup = new LinkedHashMap<>();
        for (DirectorySnapshot.Group group : snapshot.groups()) {
            if (left.groups().contains(group.id())) {
                continue;
            }
            UUID parent = group.parentId() == null ? null : departmentOfGroup.get(group.parentId());
            DepartmentRow row = synced.get(group.id());
            String name = group.name().strip();
            if (row == null) {
                UUID id = chart.createDepartment(name, parent == null ? null : DepartmentId.of(parent), 0, group.id(), null)
                        .id().value();
                departmentOfGroup.put(group.id(), id);
                count.departmentsCreated++;
                continue;
            }
            boolean changed = false;
            if (!row.name().equals(name)) {
                chart.renameDepartment(DepartmentId.of(row.id()), name, null);
                changed = true;
            }
            if (!Objects.equals(row.parentId(), parent)) {
                chart.moveDepartment(DepartmentId.of(row.id()), parent == null ? null : DepartmentId.of(parent), null, null);
                changed = true;
            }
            if (changed) {
                count.departmentsUpdated++;
            }
            departmentOfGroup.put(group.id(), row.id());
        }
        return departmentOfGroup;
    }

    private Map<String, UserId> syncAccounts(DirectorySnapshot snapshot, Set<String> goneSubjects, Counter count) {
        Map<String, AccountSummary> before = accounts.all().stream()
                .collect(Collectors.toMap(AccountSummary::subject, Function.identity()));
        Map<String, UserId> userOfSubject = new HashMap<>();
        for (DirectorySnapshot.Account account : snapshot.accounts()) {
            UserId id = accounts.provision(new DirectoryAccount(account.subject(), account.username(),
                    account.displayName(), account.email(), account.enabled()));
            userOfSubject.put(account.subject(), id);
            AccountSummary previous = before.get(account.subject());
            if (previous == null) {
                count.accountsCreated++;
                if (!account.enabled()) {
                    count.accountsDeactivated++;
                }
            } else if (previous.active() && !account.enabled()) {
                count.accountsDeactivated++;
            } else if (!previous.active() && account.enabled()) {
                count.accountsReactivated++;
            }
        }
        for (String subject : goneSubjects) {
            AccountSummary previous = before.get(subject);
            if (previous != null && previous.active()) {
                accounts.deactivate(previous.id());
                count.accountsDeactivated++;
            }
        }
        return userOfSubject;
    }

    /**
     * Synced departments hold exactly their group's members. Removals go first, then joins
     * and title changes, then each user's primary department, so every step is valid on its own.
     * Departments {@code kept} for groups left as they were keep their members; users whose
     * departments are left as they were keep theirs, except in departments whose group is gone.
     */
    private void syncMemberships(DirectorySnapshot snapshot, Map<String, UUID> departmentOfGroup, Set<UUID> kept,
            Map<String, UserId> userOfSubject, Left left, Counter count) {
        Map<String, DirectorySnapshot.Group> groups = snapshot.groupsById();
        Map<UUID, Set<UUID>> wantedMembers = new HashMap<>();
        for (DirectorySnapshot.Account account : snapshot.accounts()) {
            for (String group : account.groupIds()) {
                if (departmentOfGroup.containsKey(group)) {
                    wantedMembers.computeIfAbsent(departmentOfGroup.get(group), key -> new HashSet<>())
                            .add(userOfSubject.get(account.subject()).value());
                }
            }
        }
        Set<UUID> leftAlone = left.membershipsOf().stream().map(userOfSubject::get).map(UserId::value)
                .collect(Collectors.toSet());
        Set<UUID> applied = new HashSet<>(departmentOfGroup.values());
        Set<UUID> syncedDepartments = departments.all().stream().filter(row -> row.externalId() != null)
                .map(DepartmentRow::id).filter(department -> !kept.contains(department)).collect(Collectors.toSet());
        for (UUID department : syncedDepartments) {
            Set<UUID> wanted = wantedMembers.getOrDefault(department, Set.of());
            boolean going = !applied.contains(department);
            for (UUID member : memberships.userIdsIn(List.of(department))) {
                if (!wanted.contains(member) && (going || !leftAlone.contains(member))) {
                    chart.removeMembership(UserId.of(member), DepartmentId.of(department), null);
                    count.membershipsRemoved++;
                }
            }
        }
        for (DirectorySnapshot.Account account : snapshot.accounts()) {
            if (left.membershipsOf().contains(account.subject())) {
                continue;
            }
            UserId user = userOfSubject.get(account.subject());
            List<String> mine = account.groupIds().stream().filter(departmentOfGroup::containsKey)
                    .sorted(Comparator.comparing(group -> groups.get(group).path())).toList();
            if (mine.isEmpty()) {
                continue;
            }
            DirectorySnapshot.Group primaryGroup = primaryGroup(account, groups);
            String primary = primaryGroup != null && mine.contains(primaryGroup.id()) ? primaryGroup.id() : mine.getFirst();
            Map<UUID, MembershipRow> before = memberships.ofUser(user.value()).stream()
                    .collect(Collectors.toMap(MembershipRow::departmentId, Function.identity()));
            List<String> inOrder = new ArrayList<>(mine.stream().filter(group -> !group.equals(primary)).toList());
            inOrder.add(primary);
            for (String group : inOrder) {
                UUID department = departmentOfGroup.get(group);
                boolean wantPrimary = group.equals(primary);
                MembershipRow previous = before.get(department);
                // Unchanged memberships cost nothing: most users are unchanged on most runs.
                if (previous == null || previous.primary() != wantPrimary
                        || !Objects.equals(previous.title(), account.title())) {
                    chart.setMembership(user, DepartmentId.of(department), account.title(), wantPrimary, null);
                }
            }
            for (MembershipRow after : memberships.ofUser(user.value())) {
                MembershipRow previous = before.get(after.departmentId());
                if (previous == null) {
                    count.membershipsAdded++;
                } else if (previous.primary() != after.primary() || !Objects.equals(previous.title(), after.title())) {
                    count.membershipsUpdated++;
                }
            }
        }
    }

    /**
     * Changed managers are cleared first, then set: a swap never passes through a loop. The
     * directory's managers have no loop (see {@link #unusable}), but managers left as they were
     * could close one with them; such a manager is not set, and the reason reported.
     */
    private void syncManagers(DirectorySnapshot snapshot, Map<String, UserId> userOfSubject, Left left,
            Counter count) {
        Map<String, UserId> userOfUsername = snapshot.accounts().stream().collect(Collectors.toMap(
                DirectorySnapshot.Account::username, account -> userOfSubject.get(account.subject()), (a, b) -> a));
        Map<UserId, UserId> changed = new LinkedHashMap<>();
        Set<UserId> hadOne = new HashSet<>();
        for (DirectorySnapshot.Account account : snapshot.accounts()) {
            if (left.managersOf().contains(account.subject())) {
                continue;
            }
            UserId user = userOfSubject.get(account.subject());
            UserId wanted = account.manager() == null ? null : userOfUsername.get(account.manager());
            UUID current = employees.find(user.value()).map(EmployeeStore.EmployeeRow::managerId).orElse(null);
            if (!Objects.equals(current, wanted == null ? null : wanted.value())) {
                changed.put(user, wanted);
                if (current != null) {
                    hadOne.add(user);
                }
            }
        }
        changed.keySet().stream().filter(hadOne::contains).forEach(user -> chart.setManager(user, null, null));
        Map<UserId, String> usernames = new HashMap<>();
        userOfUsername.forEach((username, id) -> usernames.put(id, username));
        changed.forEach((user, manager) -> {
            if (manager == null) {
                count.managersChanged++;
            } else if (explicitChainReaches(manager, user)) {
                count.problems.add("User " + usernames.get(user) + " cannot have " + usernames.get(manager)
                        + " as manager without a loop through managers left as they were; they have no explicit"
                        + " manager for now.");
                if (hadOne.contains(user)) {
                    count.managersChanged++;
                }
            } else {
                chart.setManager(user, manager, null);
                count.managersChanged++;
            }
        });
    }

    /** Whether {@code user} is {@code from} or one of their explicit managers, directly or through others. */
    private boolean explicitChainReaches(UserId from, UserId user) {
        Set<UUID> seen = new HashSet<>();
        for (UUID current = from.value(); current != null && seen.add(current);
                current = employees.find(current).map(EmployeeStore.EmployeeRow::managerId).orElse(null)) {
            if (current.equals(user.value())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Departments whose group is gone, deepest first; they are empty by now unless departments or
     * members Keycloak does not manage are still in them, and then they are kept and reported.
     */
    private void deleteVanishedDepartments(Collection<UUID> stillThere, Counter count) {
        Set<UUID> keep = new HashSet<>(stillThere);
        // Depth looked up once per department, not once per comparison.
        Map<UUID, Integer> depth = new HashMap<>();
        departments.all().stream().filter(row -> row.externalId() != null && !keep.contains(row.id()))
                .forEach(row -> depth.put(row.id(), departments.pathToRoot(row.id()).size()));
        List<UUID> vanished = depth.keySet().stream()
                .sorted(Comparator.comparing(depth::get, Comparator.reverseOrder())).toList();
        for (UUID department : vanished) {
            if (departments.hasChildren(department) || memberships.countIn(department) > 0) {
                count.problems.add("Department " + departments.find(department).map(DepartmentRow::name).orElse("?")
                        + " lost its Keycloak group but still holds departments or members Keycloak does not manage;"
                        + " it was kept.");
                continue;
            }
            chart.deleteDepartment(DepartmentId.of(department), null);
            count.departmentsDeleted++;
        }
    }

    /** The group named by the user's primary-department attribute: a path, or a name when that is unambiguous. */
    private static DirectorySnapshot.Group primaryGroup(DirectorySnapshot.Account account,
            Map<String, DirectorySnapshot.Group> groups) {
        if (account.primaryDepartment() == null) {
            return null;
        }
        List<DirectorySnapshot.Group> mine = account.groupIds().stream().map(groups::get).filter(Objects::nonNull).toList();
        return mine.stream().filter(group -> group.path().equals(account.primaryDepartment())).findFirst()
                .or(() -> {
                    List<DirectorySnapshot.Group> named = mine.stream()
                            .filter(group -> group.name().equals(account.primaryDepartment())).toList();
                    return named.size() == 1 ? Optional.of(named.getFirst()) : Optional.empty();
                })
                .orElse(null);
    }

    private static final class Counter {
        int departmentsCreated;
        int departmentsUpdated;
        int departmentsDeleted;
        int accountsCreated;
        int accountsDeactivated;
        int accountsReactivated;
        int membershipsAdded;
        int membershipsUpdated;
        int membershipsRemoved;
        int managersChanged;
        final List<String> problems = new ArrayList<>();

        Changes changes() {
            return new Changes(departmentsCreated, departmentsUpdated, departmentsDeleted, accountsCreated,
                    accountsDeactivated, accountsReactivated, membershipsAdded, membershipsUpdated, membershipsRemoved,
                    managersChanged, List.copyOf(problems));
        }
    }
}
