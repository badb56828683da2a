package io.chorus.approval.internal;

import io.chorus.approval.FlowNode;
import io.chorus.approval.TemplateView;
import io.chorus.identity.UserId;
import io.chorus.org.DepartmentId;
import io.chorus.org.OrgDirectory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Chooses, at submit time, the branch of every condition node the request passes: the route is
 * then fixed, so what the requester sees as "who will approve" is what happens.
 */
@Component
class RouteBuilder {

    private final OrgDirectory org;

    RouteBuilder(OrgDirectory org) {
        this.org = org;
    }

    Plan plan(TemplateView template, JsonNode form, UserId requester) {
        Set<String> departments = org.departmentsOf(requester).stream().filter(membership -> membership.primary())
                .findFirst()
                .map(membership -> org.pathToRoot(DepartmentId.of(membership.departmentId())).stream()
                        .map(id -> id.value().toString()).collect(Collectors.toSet()))
                .orElse(Set.of());
        List<FlowNode> steps = new ArrayList<>();
        walk(template.flow(), template, form, departments, steps);
        return new Plan(steps, template.settings());
    }

    private void walk(List<FlowNode> nodes, TemplateView template, JsonNode form, Set<String> departments,
            List<FlowNode> steps) {
        for (FlowNode node : nodes) {
            if (node.kind() != FlowNode.Kind.CONDITION) {
                steps.add(node);
                continue;
            }
            FlowNode.Branch taken = node.branches().stream().filter(branch -> !branch.isDefault())
                    .sorted(Comparator.comparingInt(FlowNode.Branch::priority))
                    .filter(branch -> ConditionEvaluator.holds(branch.when(), template.form(), form, departments))
                    .findFirst()
                    .orElseGet(() -> node.branches().stream().filter(FlowNode.Branch::isDefault).findFirst()
                            .orElseThrow());
            walk(taken.nodes(), template, form, departments, steps);
        }
    }
}
