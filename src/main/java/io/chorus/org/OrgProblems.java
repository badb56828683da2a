package io.chorus.org;

/** Stable codes of org chart refusals. */
public final class OrgProblems {

    public static final String DEPARTMENT_NOT_FOUND = "DEPARTMENT_NOT_FOUND";
    public static final String DEPARTMENT_NOT_EMPTY = "DEPARTMENT_NOT_EMPTY";
    /** A department cannot move below itself or one of its own sub-departments. */
    public static final String DEPARTMENT_CYCLE = "DEPARTMENT_CYCLE";
    public static final String EMPLOYEE_NOT_FOUND = "EMPLOYEE_NOT_FOUND";
    public static final String MEMBERSHIP_NOT_FOUND = "MEMBERSHIP_NOT_FOUND";
    /** Nobody manages themself, directly or through a loop of explicit managers. */
    public static final String MANAGER_CYCLE = "MANAGER_CYCLE";
    /** Directory sync manages the org chart: hand edits would be overwritten, so they are refused. */
    public static final String DIRECTORY_SYNCED = "DIRECTORY_SYNCED";
    public static final String SYNC_IN_PROGRESS = "SYNC_IN_PROGRESS";
    public static final String SYNC_NOT_ENABLED = "SYNC_NOT_ENABLED";
    /** Keycloak could not be read or its data could not be applied; the org chart is unchanged. */
    public static final String DIRECTORY_SYNC_FAILED = "DIRECTORY_SYNC_FAILED";
    /** The run would deactivate more accounts than its guard allows; nothing changed; a forced run applies it. */
    public static final String DIRECTORY_SYNC_REFUSED = "DIRECTORY_SYNC_REFUSED";
    public static final String SYNC_NOT_RUN = "SYNC_NOT_RUN";

    private OrgProblems() {
    }
}
