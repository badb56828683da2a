package io.chorus.org.web;

import io.chorus.identity.CurrentUser;
import io.chorus.identity.UserId;
import io.chorus.org.Employee;
import io.chorus.org.EmployeeSummary;
import io.chorus.org.OrgChart;
import io.chorus.org.OrgDirectory;
import io.chorus.org.OrgDirectory.SearchCursor;
import io.chorus.org.OrgProblems;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.PageCursor;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The employee directory: search, one person's entry, their manager chain. */
@RestController
@RequestMapping("/api/v1/org/users")
@PreAuthorize("hasRole('employee')")
class EmployeeController {

    private final OrgDirectory directory;
    private final OrgChart chart;

    EmployeeController(OrgDirectory directory, OrgChart chart) {
        this.directory = directory;
        this.chart = chart;
    }

    record EmployeeList(List<Employee> items, String nextCursor) {
    }

    record ManagerChain(List<EmployeeSummary> managers) {
    }

    /** {@code managerId} null clears the explicit manager: the department heads decide again. */
    record SetManagerRequest(UUID managerId) {
    }

    @GetMapping
    EmployeeList search(@RequestParam @NotBlank @Size(max = 100) String q,
            @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
        var page = directory.search(q, decode(cursor), limit);
        return new EmployeeList(page.items(), page.next() == null ? null : PageCursor.encode(
                Integer.toString(page.next().rank()), page.next().username(), page.next().userId().toString()));
    }

    @GetMapping("/{userId}")
    Employee get(@PathVariable UUID userId) {
        return directory.employee(UserId.of(userId)).orElseThrow(() ->
                ChorusProblem.notFound(OrgProblems.EMPLOYEE_NOT_FOUND, "No such employee."));
    }

    @GetMapping("/{userId}/manager-chain")
    ManagerChain managerChain(@PathVariable UUID userId,
            @RequestParam(defaultValue = "10") @Min(1) @Max(OrgDirectory.MAX_CHAIN_LEVELS) int levels) {
        get(userId);
        return new ManagerChain(directory.managerChain(UserId.of(userId), levels));
    }

    @PutMapping("/{userId}/manager")
    @PreAuthorize("hasRole('org_admin')")
    Employee setManager(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID userId,
            @Valid @RequestBody SetManagerRequest request) {
        chart.setManager(UserId.of(userId), request.managerId() == null ? null : UserId.of(request.managerId()), me.id());
        return get(userId);
    }

    private static SearchCursor decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        List<String> parts = PageCursor.decode(cursor, 3);
        try {
            return new SearchCursor(Integer.parseInt(parts.get(0)), parts.get(1), UUID.fromString(parts.get(2)));
        } catch (IllegalArgumentException malformed) {
            throw PageCursor.malformed();
        }
    }
}
