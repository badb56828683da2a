package io.chorus.audit;

/** Stable codes of the audit module's refusals. */
public final class AuditProblems {

    /** The export format is not csv or jsonl. */
    public static final String UNSUPPORTED_EXPORT_FORMAT = "UNSUPPORTED_EXPORT_FORMAT";
    /** An officer's scope names a department the org chart does not have. */
    public static final String SCOPE_DEPARTMENT_NOT_FOUND = "SCOPE_DEPARTMENT_NOT_FOUND";
    public static final String OFFICER_NOT_FOUND = "OFFICER_NOT_FOUND";
    /** A scoped officer named a legal hold that covers people outside their departments. */
    public static final String OUTSIDE_COMPLIANCE_SCOPE = "OUTSIDE_COMPLIANCE_SCOPE";

    private AuditProblems() {
    }
}
