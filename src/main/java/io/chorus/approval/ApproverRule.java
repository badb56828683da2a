package io.chorus.approval;

import java.util.List;
import java.util.UUID;

/**
 * Who approves (or is CC'd on) a node, resolved when the node is reached. Only the fields of
 * the rule's type are set: {@code userIds} for USERS, {@code roleId} for ROLE, {@code level}
 * for MANAGER (1 = the direct manager), {@code departmentId} for DEPARTMENT_HEAD (null = the
 * requester's primary department), {@code field} for FORM_FIELD (a USER field of the form),
 * {@code maxChosen} for CHOSEN_BY_REQUESTER (自选审批人, picked at submit time).
 */
public record ApproverRule(Type type, List<UUID> userIds, UUID roleId, Integer level, UUID departmentId,
        String field, Integer maxChosen) {

    public ApproverRule {
        userIds = userIds == null ? null : List.copyOf(userIds);
    }

    public enum Type {
        USERS, ROLE, MANAGER, DEPARTMENT_HEAD, FORM_FIELD, CHOSEN_BY_REQUESTER
    }

    public static ApproverRule users(List<UUID> userIds) {
        return new ApproverRule(Type.USERS, userIds, null, null, null, null, null);
    }

    public static ApproverRule role(UUID roleId) {
        return new ApproverRule(Type.ROLE, null, roleId, null, null, null, null);
    }

    public static ApproverRule manager(int level) {
        return new ApproverRule(Type.MANAGER, null, null, level, null, null, null);
    }

    public static ApproverRule departmentHead(UUID departmentId) {
        return new ApproverRule(Type.DEPARTMENT_HEAD, null, null, null, departmentId, null, null);
    }

    public static ApproverRule formField(String field) {
        return new ApproverRule(Type.FORM_FIELD, null, null, null, null, field, null);
    }

    public static ApproverRule chosenByRequester(int maxChosen) {
        return new ApproverRule(Type.CHOSEN_BY_REQUESTER, null, null, null, null, null, maxChosen);
    }
}
