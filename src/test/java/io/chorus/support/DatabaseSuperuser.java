package io.chorus.support;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The embedded server's superuser, on the application's database, for what tests do that the
 * application may not: tamper with the audit trail (triggers off), rename a table, ANALYZE. Under
 * {@link RestrictedDatabaseRoles} the application's own connection can do none of these, as in
 * production; in the default tests it is this superuser anyway.
 */
public final class DatabaseSuperuser {

    private final DataSource source;

    private DatabaseSuperuser(DataSource source) {
        this.source = source;
    }

    public static DatabaseSuperuser of(DataSource application) {
        try {
            HikariDataSource pool = application.unwrap(HikariDataSource.class);
            // The embedded server trusts local logins; a URL that names a user (?user=postgres) keeps it.
            return new DatabaseSuperuser(new DriverManagerDataSource(pool.getJdbcUrl(), "postgres", ""));
        } catch (SQLException e) {
            throw new IllegalStateException("The application's data source is not the embedded pool", e);
        }
    }

    /** Statements that commit on their own. */
    public JdbcClient jdbc() {
        return JdbcClient.create(source);
    }

    /** Runs {@code work} in one transaction. */
    public void inTransaction(Consumer<JdbcClient> work) {
        new TransactionTemplate(new DataSourceTransactionManager(source)).executeWithoutResult(status ->
                work.accept(JdbcClient.create(source)));
    }

    /** Runs {@code tampering} in one transaction with triggers off, as only a superuser can. */
    public void tamper(Consumer<JdbcClient> tampering) {
        inTransaction(sql -> {
            sql.sql("SET LOCAL session_replication_role = replica").update();
            tampering.accept(sql);
        });
    }
}
