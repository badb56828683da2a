package io.chorus.integration;

import java.util.Arrays;
import java.util.Optional;

/**
 * What an outgoing webhook subscription may ask for, and the scope its creator must hold: an
 * event carries what the subscriber could otherwise read through the API, never more.
 */
public enum EventType {
    /** A message in one of the conversations the subscription lists, while its owner is a member. */
    MESSAGE_POSTED("message.posted", Scope.MESSAGES_READ),
    /** A message naming the owner by {@code @key}, in any conversation it is a member of. */
    BOT_MENTIONED("bot.mentioned", Scope.MESSAGES_READ),
    MEMBER_ADDED("member.added", Scope.MESSAGES_READ),
    MEMBER_REMOVED("member.removed", Scope.MESSAGES_READ),
    APPROVAL_SUBMITTED("approval.submitted", Scope.APPROVALS_READ),
    APPROVAL_DECIDED("approval.decided", Scope.APPROVALS_READ),
    APPROVAL_COMPLETED("approval.completed", Scope.APPROVALS_READ),
    APPROVAL_WITHDRAWN("approval.withdrawn", Scope.APPROVALS_READ),
    ORG_DEPARTMENT_CREATED("org.department.created", Scope.ORG_READ),
    ORG_DEPARTMENT_RENAMED("org.department.renamed", Scope.ORG_READ),
    ORG_DEPARTMENT_MOVED("org.department.moved", Scope.ORG_READ),
    ORG_DEPARTMENT_DELETED("org.department.deleted", Scope.ORG_READ),
    ORG_DEPARTMENT_HEADS_CHANGED("org.department.heads_changed", Scope.ORG_READ),
    ORG_EMPLOYEE_JOINED("org.employee.joined", Scope.ORG_READ),
    ORG_EMPLOYEE_UPDATED("org.employee.updated", Scope.ORG_READ),
    ORG_EMPLOYEE_LEFT("org.employee.left", Scope.ORG_READ),
    ORG_MANAGER_CHANGED("org.employee.manager_changed", Scope.ORG_READ);

    private final String value;
    private final Scope requires;

    EventType(String value, Scope requires) {
        this.value = value;
        this.requires = requires;
    }

    /** The name subscriptions and payloads use ({@code "type"}). */
    public String value() {
        return value;
    }

    /** The scope a subscriber must hold to receive it. */
    public Scope requires() {
        return requires;
    }

    public static Optional<EventType> of(String value) {
        return Arrays.stream(values()).filter(type -> type.value.equals(value)).findFirst();
    }
}
