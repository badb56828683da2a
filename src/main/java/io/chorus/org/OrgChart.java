package io.chorus.org;

import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import io.chorus.identity.UserProfile;
import io.chorus.org.internal.DepartmentStore;
import io.chorus.org.internal.DepartmentStore.DepartmentRow;
import io.chorus.org.internal.EmployeeStore;
import io.chorus.org.internal.MembershipStore;
import io.chorus.org.internal.MembershipStore.MembershipRow;
import io.chorus.org.internal.OrgProperties;
import io.chorus.org.internal.SearchKeys;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Changes to the org chart. Each method takes {@code by}: the org_admin making the change, or
 * null for directory sync. While sync is on, Keycloak owns departments, memberships and
 * managers, so admins may only appoint heads (Keycloak has no such notion).
 */
@Service
public class OrgChart {

    private static final int MAX_NAME_LENGTH = 100;
    private static final int MAX_TITLE_LENGTH = 100;

    private final DepartmentStore departments;
    private final MembershipStore memberships;
    private final EmployeeStore employees;
    private final OrgDirectory directory;
    private final UserDirectory users;
    private final SearchKeys keys;
    private final ApplicationEventPublisher events;
    private final OrgProperties properties;
    private final Clock clock;

    OrgChart(DepartmentStore departments, MembershipStore memberships, EmployeeStore employees,
            OrgDirectory directory, UserDirectory users, SearchKeys keys, ApplicationEventPublisher events,
            OrgProperties properties, Clock clock) {
        this.departments = departments;
        this.memberships = memberships;
        this.employees = employees;
        this.directory = directory;
        this.users = users;
        this.keys = keys;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    /** {@code externalId} names the Keycloak group a synced department mirrors; null otherwise. */
    @Transactional
    public Department createDepartment(String name, DepartmentId parentId, int sortOrder, String externalId, UserId by) {
        requireHandEditing(by);
        String validName = validName(name);
        departments.lockTree();
        if (parentId != null) {
            existing(parentId);
        }
        UUID id = UUID.randomUUID();
        departments.insert(id, validName, parentId == null ? null : parentId.value(), sortOrder, externalId, clock.instant());
        events.publishEvent(new OrgEvents.DepartmentCreated(DepartmentId.of(id), validName, parentId, by, clock.instant()));
        return directory.department(DepartmentId.of(id)).orElseThrow();
    }

    @Transactional
    public Department renameDepartment(DepartmentId id, String name, UserId by) {
        requireHandEditing(by);
        String validName = validName(name);
        DepartmentRow row = existing(id);
        if (!row.name().equals(validName)) {
            departments.rename(row.id(), validName);
            events.publishEvent(new OrgEvents.DepartmentRenamed(id, row.name(), validName, by, clock.instant()));
        }
        return directory.department(id).orElseThrow();
    }

    /** Moves the department with its whole subtree under {@code newParentId} (null: to the top level). */
    @Transactional
    public Department moveDepartment(DepartmentId id, DepartmentId newParentId, Integer sortOrder, UserId by) {
        requireHandEditing(by);
        departments.lockTree();
        DepartmentRow row = existing(id);
        UUID newParent = newParentId == null ? null : newParentId.value();
        if (newParent != null) {
            existing(newParentId);
            if (departments.subtree(row.id()).contains(newParent)) {
                throw ChorusProblem.conflict(OrgProblems.DEPARTMENT_CYCLE,
                        "A department cannot move below itself or one of its sub-departments.");
            }
        }
        int newOrder = sortOrder == null ? row.sortOrder() : sortOrder;
        if (!Objects.equals(row.parentId(), newParent) || row.sortOrder() != newOrder) {
            departments.move(row.id(), newParent, newOrder);
        }
        if (!Objects.equals(row.parentId(), newParent)) {
            events.publishEvent(new OrgEvents.DepartmentMoved(id,
                    row.parentId() == null ? null : DepartmentId.of(row.parentId()), newParentId, by, clock.instant()));
        }
        return directory.department(id).orElseThrow();
    }

    /** Only an empty department goes: no sub-departments and no members. Its heads go with it. */
    @Transactional
    public void deleteDepartment(DepartmentId id, UserId by) {
        requireHandEditing(by);
        departments.lockTree();
        DepartmentRow row = existing(id);
        if (departments.hasChildren(row.id()) || memberships.countIn(row.id()) > 0) {
            throw ChorusProblem.conflict(OrgProblems.DEPARTMENT_NOT_EMPTY,
                    "Move its sub-departments and members elsewhere before deleting this department.");
        }
        departments.delete(row.id());
        events.publishEvent(new OrgEvents.DepartmentDeleted(id, row.name(), by, clock.instant()));
    }

    /** Replaces the heads; those who stay keep their seniority. Allowed while sync is on. */
    @Transactional
    public Department setHeads(DepartmentId id, List<UserId> heads, UserId by) {
        DepartmentRow row = departments.findForUpdate(id.value()).orElseThrow(() ->
                ChorusProblem.notFound(OrgProblems.DEPARTMENT_NOT_FOUND, "No such department."));
        LinkedHashSet<UserId> wanted = new LinkedHashSet<>(heads);
        requireKnown(wanted);
        List<UUID> current = departments.heads(row.id());
        Instant now = clock.instant();
        boolean changed = false;
        for (UUID head : current) {
            if (!wanted.contains(UserId.of(head))) {
                departments.removeHead(row.id(), head);
                changed = true;
            }
        }
        for (UserId head : wanted) {
            if (!current.contains(head.value())) {
                departments.addHead(row.id(), head.value(), now);
                changed = true;
            }
        }
        if (changed) {
            events.publishEvent(new OrgEvents.DepartmentHeadsChanged(id,
                    departments.heads(row.id()).stream().map(UserId::of).toList(), by, now));
        }
        return directory.department(id).orElseThrow();
    }

    /** The membership after a change, and whether the user has just joined. */
    public record MembershipChange(Employee.Membership membership, boolean joined) {
    }

    /**
     * Puts the user in the department with this title, or updates the title. A user's first
     * department is their primary one; {@code primary = true} makes this one primary instead.
     */
    @Transactional
    public MembershipChange setMembership(UserId user, DepartmentId departmentId, String title, Boolean primary,
            UserId by) {
        requireHandEditing(by);
        String validTitle = validTitle(title);
        DepartmentRow department = existing(departmentId);
        ensureEntry(user);
        memberships.lockUser(user.value());
        List<MembershipRow> mine = memberships.ofUser(user.value());
        Optional<MembershipRow> current = mine.stream().filter(row -> row.departmentId().equals(department.id())).findFirst();
        // Someone with departments always has exactly one primary: their only one stays primary.
        boolean onlyDepartment = mine.stream().allMatch(row -> row.departmentId().equals(department.id()));
        boolean makePrimary = Boolean.TRUE.equals(primary) || onlyDepartment
                || current.map(MembershipRow::primary).orElse(false) && !Boolean.FALSE.equals(primary);
        Instant now = clock.instant();
        if (makePrimary) {
            mine.stream().filter(row -> row.primary() && !row.departmentId().equals(department.id())).forEach(other -> {
                memberships.update(other.departmentId(), user.value(), other.title(), false);
                events.publishEvent(new OrgEvents.EmployeeMembershipChanged(user, DepartmentId.of(other.departmentId()),
                        other.title(), false, by, now));
            });
        }
        if (current.isEmpty()) {
            memberships.insert(department.id(), user.value(), validTitle, makePrimary, now);
            events.publishEvent(new OrgEvents.EmployeeJoinedDepartment(user, departmentId, validTitle, makePrimary, by, now));
        } else if (!Objects.equals(current.get().title(), validTitle) || current.get().primary() != makePrimary) {
            memberships.update(department.id(), user.value(), validTitle, makePrimary);
            events.publishEvent(new OrgEvents.EmployeeMembershipChanged(user, departmentId, validTitle, makePrimary, by, now));
            if (current.get().primary() && !makePrimary) {
                promoteEarliest(user, department.id(), by, now);
            }
        }
        return new MembershipChange(new Employee.Membership(department.id(), department.name(), validTitle, makePrimary),
                current.isEmpty());
    }

    /** Takes the user out of the department; if it was their primary one, their next oldest becomes primary. */
    @Transactional
    public void removeMembership(UserId user, DepartmentId departmentId, UserId by) {
        requireHandEditing(by);
        memberships.lockUser(user.value());
        MembershipRow row = memberships.find(departmentId.value(), user.value()).orElseThrow(() ->
                ChorusProblem.notFound(OrgProblems.MEMBERSHIP_NOT_FOUND, "That user is not in this department."));
        Instant now = clock.instant();
        memberships.delete(departmentId.value(), user.value());
        events.publishEvent(new OrgEvents.EmployeeLeftDepartment(user, departmentId, by, now));
        if (row.primary()) {
            promoteEarliest(user, departmentId.value(), by, now);
        }
    }

    /** Sets or clears (null) the explicit manager. A loop of explicit managers is refused. */
    @Transactional
    public void setManager(UserId user, UserId manager, UserId by) {
        requireHandEditing(by);
        employees.lockManagers();
        ensureEntry(user);
        if (manager != null) {
            requireKnown(List.of(manager));
            if (manager.equals(user) || directory.explicitManagerLoop(user, manager)) {
                throw ChorusProblem.conflict(OrgProblems.MANAGER_CYCLE, "Nobody may manage themself, directly or through others.");
            }
        }
        UUID old = employees.find(user.value()).orElseThrow().managerId();
        UUID wanted = manager == null ? null : manager.value();
        if (!Objects.equals(old, wanted)) {
            employees.setManager(user.value(), wanted);
            events.publishEvent(new OrgEvents.ManagerChanged(user, old == null ? null : UserId.of(old), manager, by,
                    clock.instant()));
        }
    }

    private void promoteEarliest(UserId user, UUID except, UserId by, Instant now) {
        memberships.ofUser(user.value()).stream()
                .filter(row -> !row.departmentId().equals(except))
                .findFirst()
                .filter(next -> !next.primary())
                .ifPresent(next -> {
                    memberships.update(next.departmentId(), user.value(), next.title(), true);
                    events.publishEvent(new OrgEvents.EmployeeMembershipChanged(user,
                            DepartmentId.of(next.departmentId()), next.title(), true, by, now));
                });
    }

    /**
     * A directory entry exists as soon as the org chart mentions a user, even if identity's
     * account event has not been handled yet; that event then brings the entry up to date.
     * A bot is no employee: the org chart treats it as unknown.
     */
    private void ensureEntry(UserId user) {
        UserProfile profile = users.find(user).filter(found -> !found.bot()).orElseThrow(() ->
                ChorusProblem.notFound(OrgProblems.EMPLOYEE_NOT_FOUND, "No such user: " + user));
        insertEntry(profile);
    }

    private void insertEntry(UserProfile profile) {
        employees.insertIfAbsent(profile.id().value(), profile.username(), profile.displayName(), profile.email(),
                profile.active(), keys.keysFor(profile.username(), profile.displayName(), profile.email()), clock.instant());
    }

    /** Refuses unknown users with 422 and makes sure the known ones have directory entries, from one look-up. */
    private void requireKnown(Collection<UserId> ids) {
        Map<UserId, UserProfile> known = new HashMap<>(users.findAll(ids));
        known.values().removeIf(UserProfile::bot);
        List<UserId> unknown = ids.stream().filter(id -> !known.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            throw ChorusProblem.unprocessable(OrgProblems.EMPLOYEE_NOT_FOUND, "Unknown users: " + unknown);
        }
        known.values().forEach(this::insertEntry);
    }

    private DepartmentRow existing(DepartmentId id) {
        return departments.find(id.value()).orElseThrow(() ->
                ChorusProblem.notFound(OrgProblems.DEPARTMENT_NOT_FOUND, "No such department."));
    }

    private void requireHandEditing(UserId by) {
        if (by != null && properties.sync().enabled()) {
            throw ChorusProblem.conflict(OrgProblems.DIRECTORY_SYNCED,
                    "Keycloak owns the org chart while directory sync is on; change it there.");
        }
    }

    private static String validName(String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_NAME_LENGTH) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "A department name has 1 to " + MAX_NAME_LENGTH + " characters.");
        }
        return trimmed;
    }

    private static String validTitle(String title) {
        String trimmed = title == null ? null : title.strip();
        if (trimmed != null && trimmed.length() > MAX_TITLE_LENGTH) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "A title has at most " + MAX_TITLE_LENGTH + " characters.");
        }
        return trimmed == null || trimmed.isEmpty() ? null : trimmed;
    }
}
