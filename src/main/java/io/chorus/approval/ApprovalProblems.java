package io.chorus.approval;

/** Stable codes of the approval module's refusals. */
public final class ApprovalProblems {

    public static final String TEMPLATE_NOT_FOUND = "APPROVAL_TEMPLATE_NOT_FOUND";
    public static final String TEMPLATE_INVALID = "APPROVAL_TEMPLATE_INVALID";
    public static final String TEMPLATE_DISABLED = "APPROVAL_TEMPLATE_DISABLED";
    public static final String ROLE_NOT_FOUND = "APPROVAL_ROLE_NOT_FOUND";
    public static final String ROLE_NAME_TAKEN = "APPROVAL_ROLE_NAME_TAKEN";
    public static final String FORM_INVALID = "APPROVAL_FORM_INVALID";
    public static final String INSTANCE_NOT_FOUND = "APPROVAL_NOT_FOUND";
    public static final String TASK_NOT_FOUND = "APPROVAL_TASK_NOT_FOUND";
    /** The task was decided, transferred or cancelled meanwhile (another approver won an ANY node, say). */
    public static final String TASK_NOT_PENDING = "APPROVAL_TASK_NOT_PENDING";
    /** The instance is no longer pending: approved, rejected or withdrawn. */
    public static final String INSTANCE_NOT_PENDING = "APPROVAL_NOT_PENDING";
    public static final String NOT_REQUESTER = "APPROVAL_NOT_REQUESTER";
    public static final String NOT_YOUR_TASK = "APPROVAL_NOT_YOUR_TASK";
    public static final String INVALID_APPROVER = "APPROVAL_INVALID_APPROVER";
    public static final String NO_APPROVER = "APPROVAL_NO_APPROVER";
    public static final String CHOSEN_APPROVERS_INVALID = "APPROVAL_CHOSEN_APPROVERS_INVALID";
    public static final String INVALID_RETURN = "APPROVAL_INVALID_RETURN";
    public static final String REASON_REQUIRED = "APPROVAL_REASON_REQUIRED";
    public static final String NOT_RESUBMITTABLE = "APPROVAL_NOT_RESUBMITTABLE";
    /** Other changes to the same request kept winning the race; reload and try again. */
    public static final String CONCURRENT_CHANGE = "APPROVAL_CONCURRENT_CHANGE";
    public static final String ON_BEHALF_NOT_ALLOWED = "APPROVAL_ON_BEHALF_NOT_ALLOWED";

    private ApprovalProblems() {
    }
}
