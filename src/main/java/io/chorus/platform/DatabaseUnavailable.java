package io.chorus.platform;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.hibernate.exception.JDBCConnectionException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a failure because the database cannot be reached (stopped, restarting, cut off, or no
 * pooled connection within the pool's wait) from a failure of the statement itself. The first
 * is nobody's fault and passes: every edge answers it with 503
 * {@link ProblemCodes#DATABASE_UNAVAILABLE} (REST problem, STOMP error) instead of a 500 with a
 * stack trace, and the outage is logged once when it starts and once when it ends, not per
 * request.
 */
public final class DatabaseUnavailable {

    public static final String DETAIL = "Chorus cannot reach its database right now; nothing was done. Try again shortly.";

    /** Causes are followed this deep at most: a cyclic chain must not loop. */
    private static final int MAX_DEPTH = 32;

    private DatabaseUnavailable() {
    }

    /** Whether {@code failure}, or anything that caused it, says the database cannot be reached. */
    public static boolean isCause(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++, cause = cause.getCause()) {
            if (cause instanceof CannotGetJdbcConnectionException
                    || cause instanceof CannotCreateTransactionException
                    || cause instanceof JDBCConnectionException
                    || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof SQLRecoverableException
                    || cause instanceof SQLException sql && connectionLost(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE class 08 (connection exception: refused, broken, I/O error) and the server
     * shutting down or still starting (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
     * cannot_connect_now). A constraint violation or a syntax error is none of these.
     */
    private static boolean connectionLost(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }
}
