package io.chorus.approval.internal;

import io.chorus.approval.ApproverRule;
import io.chorus.approval.FlowNode;
import io.chorus.approval.TemplateSettings.RequesterAsApprover;
import io.chorus.identity.Role;
import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import io.chorus.identity.UserProfile;
import io.chorus.org.DepartmentId;
import io.chorus.org.EmployeeSummary;
import io.chorus.org.OrgDirectory;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Resolves approvers through the org chart when a node is reached. A rule that finds nobody
 * usable (no manager, a vacant head, only deactivated people) falls back to the heads of the
 * nearest department above that has an active head, then to the org_admins, then to whoever
 * published the template: a request is never approved because nobody was found.
 */
@Component
class OrgRouting implements Routing {

    private final OrgDirectory org;
    private final UserDirectory users;
    private final RoleStore roles;
    private final TemplateStore templates;
    private final JsonMapper json;

    OrgRouting(OrgDirectory org, UserDirectory users, RoleStore roles, TemplateStore templates, JsonMapper json) {
        this.org = org;
        this.users = users;
        this.roles = roles;
        this.templates = templates;
        this.json = json;
    }

    @Override
    public Resolution resolve(ApprovalInstance instance, FlowNode node) {
        UUID requester = instance.requesterId();
        Optional<UUID> primary = primaryDepartment(requester);
        List<UUID> named = named(instance, node, primary);
        Map<UUID, UserProfile> profiles = profiles(named);
        if (node.kind() == FlowNode.Kind.CC) {
            return new Resolution(named.stream().filter(user -> usable(profiles.get(user)))
                    .map(user -> new Resolved(user, ApprovalTask.Origin.RESOLVED)).toList(), false);
        }
        Optional<UUID> anchor = anchor(node.approvers(), primary);
        Map<UUID, ApprovalTask.Origin> chosen = new LinkedHashMap<>();
        boolean requesterSkipped = false;
        for (UUID user : named) {
            if (user.equals(requester)) {
                if (instance.plan().settings().requesterAsApprover() == RequesterAsApprover.SKIP) {
                    requesterSkipped = true;
                } else {
                    successor(instance, requester, chosen.keySet())
                            .ifPresent(manager -> chosen.putIfAbsent(manager, ApprovalTask.Origin.REPLACED));
                }
            } else if (usable(profiles.get(user))) {
                chosen.putIfAbsent(user, ApprovalTask.Origin.RESOLVED);
            } else {
                // A deactivated (or unknown) approver is replaced the way an empty rule is.
                fallback(instance, anchor, chosen.keySet()).forEach(replacement ->
                        chosen.putIfAbsent(replacement, ApprovalTask.Origin.REPLACED));
            }
        }
        // Skipping a requester who is the node's only approver passes the node; finding nobody never does.
        boolean onlyRequesterSkipped = requesterSkipped && named.stream().allMatch(requester::equals);
        if (chosen.isEmpty() && !onlyRequesterSkipped) {
            fallback(instance, anchor, Set.of()).forEach(user -> chosen.put(user, ApprovalTask.Origin.FALLBACK));
            requesterSkipped &= !chosen.isEmpty();
        }
        return new Resolution(chosen.entrySet().stream().map(entry -> new Resolved(entry.getKey(), entry.getValue()))
                .toList(), requesterSkipped);
    }

    @Override
    public Optional<UUID> successor(ApprovalInstance instance, UUID approver, Set<UUID> exclude) {
        List<UUID> chain = org.managerChain(UserId.of(approver), 5).stream().map(EmployeeSummary::userId).toList();
        Map<UUID, UserProfile> profiles = profiles(chain);
        Optional<UUID> manager = chain.stream().filter(user -> !exclude.contains(user)
                && !user.equals(instance.requesterId()) && usable(profiles.get(user))).findFirst();
        if (manager.isPresent()) {
            return manager;
        }
        Set<UUID> excluded = new LinkedHashSet<>(exclude);
        excluded.add(approver);
        return lastResort(instance, excluded).stream().findFirst();
    }

    /** The users the rule names, before anyone is skipped or replaced, in the rule's order. */
    private List<UUID> named(ApprovalInstance instance, FlowNode node, Optional<UUID> primary) {
        ApproverRule rule = node.approvers();
        List<UUID> named = switch (rule.type()) {
            case USERS -> rule.userIds();
            case ROLE -> roles.holders(rule.roleId());
            case MANAGER -> {
                List<EmployeeSummary> chain = org.managerChain(UserId.of(instance.requesterId()), rule.level());
                // Fewer levels above than asked for: the most senior manager there is decides.
                yield chain.isEmpty() ? List.of() : List.of(chain.get(Math.min(rule.level(), chain.size()) - 1).userId());
            }
            case DEPARTMENT_HEAD -> {
                Optional<UUID> department = rule.departmentId() != null ? Optional.of(rule.departmentId()) : primary;
                yield department.filter(id -> org.department(DepartmentId.of(id)).isPresent())
                        .map(id -> org.heads(DepartmentId.of(id)).stream().map(UserId::value).toList())
                        .orElse(List.of());
            }
            case FORM_FIELD -> {
                JsonNode value = json.readTree(instance.form()).get(rule.field());
                yield value == null || !value.isString() ? List.of() : List.of(UUID.fromString(value.asString()));
            }
            case CHOSEN_BY_REQUESTER -> chosenApprovers(instance).getOrDefault(node.id(), List.of());
        };
        return List.copyOf(new LinkedHashSet<>(named));
    }

    /** Where the search for a fallback starts: above a named or the primary department's head, else at the primary department. */
    private Optional<UUID> anchor(ApproverRule rule, Optional<UUID> primary) {
        if (rule.type() == ApproverRule.Type.DEPARTMENT_HEAD) {
            Optional<UUID> department = rule.departmentId() != null ? Optional.of(rule.departmentId()) : primary;
            return department.flatMap(id -> org.department(DepartmentId.of(id)))
                    .flatMap(department1 -> Optional.ofNullable(department1.parentId())).map(DepartmentId::value);
        }
        return primary;
    }

    private List<UUID> fallback(ApprovalInstance instance, Optional<UUID> anchor, Collection<UUID> exclude) {
        if (anchor.isPresent()) {
            for (DepartmentId department : org.pathToRoot(DepartmentId.of(anchor.get()))) {
                List<UUID> heads = org.heads(department).stream().map(UserId::value).toList();
                Map<UUID, UserProfile> profiles = profiles(heads);
                List<UUID> usable = heads.stream().filter(head -> !exclude.contains(head)
                        && !head.equals(instance.requesterId()) && usable(profiles.get(head))).toList();
                if (!usable.isEmpty()) {
                    return usable;
                }
            }
        }
        return lastResort(instance, exclude);
    }

    /** The org_admins, else the template version's publisher: whoever may fix the org chart or the template. */
    private List<UUID> lastResort(ApprovalInstance instance, Collection<UUID> exclude) {
        List<UUID> admins = users.activeHolders(Role.ORG_ADMIN).stream().map(UserId::value)
                .filter(user -> !exclude.contains(user) && !user.equals(instance.requesterId())).toList();
        if (!admins.isEmpty()) {
            return admins;
        }
        return templates.version(instance.templateId(), instance.templateVersion())
                .map(template -> template.publishedBy())
                .filter(publisher -> !exclude.contains(publisher) && !publisher.equals(instance.requesterId())
                        && usable(profiles(List.of(publisher)).get(publisher)))
                .map(List::of).orElse(List.of());
    }

    private Optional<UUID> primaryDepartment(UUID user) {
        return org.departmentsOf(UserId.of(user)).stream().filter(membership -> membership.primary()).findFirst()
                .map(membership -> membership.departmentId());
    }

    private Map<UUID, UserProfile> profiles(Collection<UUID> ids) {
        Map<UUID, UserProfile> profiles = new LinkedHashMap<>();
        users.findAll(ids.stream().map(UserId::of).toList())
                .forEach((id, profile) -> profiles.put(id.value(), profile));
        return profiles;
    }

    private static boolean usable(UserProfile profile) {
        return profile != null && profile.active() && !profile.bot();
    }

    private Map<String, List<UUID>> chosenApprovers(ApprovalInstance instance) {
        return json.readValue(instance.chosenApprovers(), new TypeReference<Map<String, List<UUID>>>() {
        });
    }

}
