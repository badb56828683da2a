package io.chorus.org;

import io.chorus.identity.UserId;
import io.chorus.org.internal.DepartmentStore;
import io.chorus.org.internal.DepartmentStore.DepartmentRow;
import io.chorus.org.internal.EmployeeStore;
import io.chorus.org.internal.EmployeeStore.EmployeeRow;
import io.chorus.org.internal.MembershipStore;
import io.chorus.org.internal.MembershipStore.MembershipRow;
import io.chorus.org.internal.SearchKeys;
import io.chorus.platform.ChorusProblem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Questions about the org chart that other modules ask: who manages whom, who heads a
 * department, who is in it (with or without its sub-departments), where a user belongs.
 */
@Service
@Transactional(readOnly = true)
public class OrgDirectory {

    /** The longest manager chain anyone may ask for; deeper than any real org chart. */
    public static final int MAX_CHAIN_LEVELS = 50;

    private final DepartmentStore departments;
    private final MembershipStore memberships;
    private final EmployeeStore employees;

    OrgDirectory(DepartmentStore departments, MembershipStore memberships, EmployeeStore employees) {
        this.departments = departments;
        this.memberships = memberships;
        this.employees = employees;
    }

    public Optional<Department> department(DepartmentId id) {
        return departments.find(id.value()).map(row -> new Department(id, row.name(),
                row.parentId() == null ? null : DepartmentId.of(row.parentId()), row.sortOrder(),
                departments.heads(row.id()).stream().map(UserId::of).toList(), row.externalId() != null));
    }

    /** The whole tree: top-level departments and their sub-departments, each level by sort order, then name. */
    public List<DepartmentNode> tree() {
        List<DepartmentRow> rows = departments.all();
        Map<UUID, List<UUID>> heads = departments.allHeads();
        Map<UUID, Integer> counts = memberships.activeCounts();
        Map<UUID, EmployeeSummary> people = summaries(heads.values().stream().flatMap(List::stream).collect(Collectors.toSet()));
        Map<UUID, List<DepartmentRow>> children = rows.stream().filter(row -> row.parentId() != null)
                .collect(Collectors.groupingBy(DepartmentRow::parentId));
        return rows.stream().filter(row -> row.parentId() == null)
                .map(row -> node(row, children, heads, counts, people)).toList();
    }

    /** The department and, with {@code includeSubDepartments}, everything below it. */
    public List<DepartmentId> scope(DepartmentId id, boolean includeSubDepartments) {
        requireDepartment(id);
        return includeSubDepartments
                ? departments.subtree(id.value()).stream().map(DepartmentId::of).toList()
                : List.of(id);
    }

    /** The department and its ancestors, nearest first. */
    public List<DepartmentId> pathToRoot(DepartmentId id) {
        return departments.pathToRoot(id.value()).stream().map(DepartmentId::of).toList();
    }

    public List<UserId> heads(DepartmentId id) {
        requireDepartment(id);
        return departments.heads(id.value()).stream().map(UserId::of).toList();
    }

    /** Where a page of members ends. */
    public record MemberCursor(String username, UUID userId) {
    }

    public record MemberPage(List<DepartmentMember> items, MemberCursor next) {
    }

    /** Active members, by username; with sub-departments each person appears once. */
    public MemberPage members(DepartmentId id, boolean includeSubDepartments, MemberCursor after, int limit) {
        List<UUID> scope = scope(id, includeSubDepartments).stream().map(DepartmentId::value).toList();
        List<EmployeeStore.MemberRow> rows = employees.members(scope, after == null ? "" : after.username(),
                after == null ? new UUID(Long.MIN_VALUE, Long.MIN_VALUE) : after.userId(), limit + 1);
        List<DepartmentMember> items = rows.stream().limit(limit).map(row -> new DepartmentMember(row.userId(),
                row.username(), row.displayName(), row.departmentId(), row.title(), row.primary())).toList();
        MemberCursor next = rows.size() > limit
                ? new MemberCursor(items.getLast().username(), items.getLast().userId()) : null;
        return new MemberPage(items, next);
    }

    /**
     * Everyone with a membership in the department (or its subtree), active or not: callers
     * that mirror the department decide themselves what deactivation means.
     */
    public Set<UserId> memberIds(DepartmentId id, boolean includeSubDepartments) {
        List<UUID> scope = scope(id, includeSubDepartments).stream().map(DepartmentId::value).toList();
        return memberships.userIdsIn(scope).stream().map(UserId::of).collect(Collectors.toSet());
    }

    public boolean isMember(UserId user, DepartmentId id, boolean includeSubDepartments) {
        return memberships.isMemberOfAny(user.value(),
                scope(id, includeSubDepartments).stream().map(DepartmentId::value).toList());
    }

    /** The user's departments, primary first. */
    public List<Employee.Membership> departmentsOf(UserId user) {
        return memberships.ofUser(user.value()).stream().map(OrgDirectory::membership).toList();
    }

    public Optional<Employee> employee(UserId user) {
        return employees.find(user.value()).map(row -> employee(row, memberships.ofUser(user.value())));
    }

    /**
     * The user's manager, their manager's manager, and so on up to {@code levels} people.
     * Each step is the explicit manager if one is set and active, otherwise the longest-serving
     * active head of the nearest department above (or at) the primary one that is headed by
     * someone else. The chain stops where nobody is left or someone would repeat.
     */
    public List<EmployeeSummary> managerChain(UserId user, int levels) {
        int depth = Math.clamp(levels, 1, MAX_CHAIN_LEVELS);
        List<UUID> chain = new ArrayList<>();
        Set<UUID> seen = new LinkedHashSet<>(List.of(user.value()));
        UUID current = user.value();
        while (chain.size() < depth) {
            Optional<UUID> manager = employees.managerOf(current);
            if (manager.isEmpty() || !seen.add(manager.get())) {
                break;
            }
            chain.add(manager.get());
            current = manager.get();
        }
        Map<UUID, EmployeeSummary> people = summaries(chain);
        return chain.stream().map(people::get).toList();
    }

    /** Whether making {@code manager} the explicit manager of {@code user} would close a loop of explicit managers. */
    boolean explicitManagerLoop(UserId user, UserId manager) {
        Set<UUID> seen = new HashSet<>();
        UUID current = manager.value();
        while (current != null && seen.add(current)) {
            if (current.equals(user.value())) {
                return true;
            }
            current = employees.find(current).map(EmployeeRow::managerId).orElse(null);
        }
        return false;
    }

    /** Where a page of search results ends. */
    public record SearchCursor(int rank, String username, UUID userId) {
    }

    public record EmployeePage(List<Employee> items, SearchCursor next) {
    }

    /**
     * Active employees whose username, name, pinyin, initials, email name, title or department
     * contains {@code query}: exact matches first, then prefixes, then the rest, each by username.
     */
    public EmployeePage search(String query, SearchCursor after, int limit) {
        String normalised = SearchKeys.normalise(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        List<EmployeeStore.SearchHit> hits = employees.search(normalised, after == null ? -1 : after.rank(),
                after == null ? "" : after.username(),
                after == null ? new UUID(Long.MIN_VALUE, Long.MIN_VALUE) : after.userId(), limit + 1);
        List<EmployeeStore.SearchHit> page = hits.stream().limit(limit).toList();
        Map<UUID, List<MembershipRow>> rows = memberships.ofUsers(page.stream().map(hit -> hit.employee().userId()).toList());
        List<Employee> items = page.stream()
                .map(hit -> employee(hit.employee(), rows.getOrDefault(hit.employee().userId(), List.of()))).toList();
        SearchCursor next = null;
        if (hits.size() > limit) {
            EmployeeStore.SearchHit last = page.getLast();
            next = new SearchCursor(last.rank(), last.employee().username(), last.employee().userId());
        }
        return new EmployeePage(items, next);
    }

    private void requireDepartment(DepartmentId id) {
        if (departments.find(id.value()).isEmpty()) {
            throw ChorusProblem.notFound(OrgProblems.DEPARTMENT_NOT_FOUND, "No such department.");
        }
    }

    private Map<UUID, EmployeeSummary> summaries(Collection<UUID> ids) {
        return employees.findAll(ids).stream().collect(Collectors.toMap(EmployeeRow::userId,
                row -> new EmployeeSummary(row.userId(), row.username(), row.displayName()), (a, b) -> a));
    }

    private DepartmentNode node(DepartmentRow row, Map<UUID, List<DepartmentRow>> children,
            Map<UUID, List<UUID>> heads, Map<UUID, Integer> counts, Map<UUID, EmployeeSummary> people) {
        List<DepartmentNode> below = children.getOrDefault(row.id(), List.of()).stream()
                .sorted(Comparator.comparingInt(DepartmentRow::sortOrder).thenComparing(DepartmentRow::name))
                .map(child -> node(child, children, heads, counts, people)).toList();
        List<EmployeeSummary> headSummaries = heads.getOrDefault(row.id(), List.of()).stream()
                .map(people::get).filter(java.util.Objects::nonNull).toList();
        return new DepartmentNode(row.id(), row.name(), row.parentId(), row.sortOrder(), headSummaries,
                counts.getOrDefault(row.id(), 0), below);
    }

    private static Employee employee(EmployeeRow row, List<MembershipRow> rows) {
        return new Employee(row.userId(), row.username(), row.displayName(), row.email(), row.active(), row.managerId(),
                rows.stream().map(OrgDirectory::membership).toList());
    }

    private static Employee.Membership membership(MembershipRow row) {
        return new Employee.Membership(row.departmentId(), row.departmentName(), row.title(), row.primary());
    }

}
