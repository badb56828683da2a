package io.chorus.platform.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An acknowledgement promises that the message survives a database crash, so every session
 * Chorus opens commits synchronously (a commit returns once its WAL is on disk, and on the
 * synchronous standbys where there are any), whatever the server's default is. The embedded
 * server, for one, defaults to {@code synchronous_commit=off}, which loses the commits of the
 * last few hundred milliseconds when its processes die.
 *
 * <p>The setting travels as a startup parameter of each pooled connection (the PostgreSQL JDBC
 * driver's {@code options}), not as {@code SET} in Hikari's connection-init-sql: the server
 * applies it before the session runs anything, it becomes the session's default so that no
 * {@code RESET ALL} or {@code DISCARD ALL} can undo it, and it leaves connection-init-sql to the
 * operator. A JDBC URL with its own {@code options} parameter overrides driver properties,
 * though, and a connection pooler may drop startup parameters; so once the application is
 * assembled, every data source is asked, and a session that would not commit synchronously
 * stops the start with the reason.
 */
class SynchronousCommits implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

    static final String STARTUP_OPTION = "-c synchronous_commit=on";

    private ListableBeanFactory beans;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beans = (ListableBeanFactory) beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (pool(bean) instanceof HikariDataSource pool) {
            // Runs before the pool opens its first connection; an operator's own options are kept.
            String own = pool.getDataSourceProperties().getProperty("options");
            pool.addDataSourceProperty("options", own == null || own.isBlank() ? STARTUP_OPTION
                    : own + " " + STARTUP_OPTION);
        }
        return bean;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (Map.Entry<String, DataSource> source : beans.getBeansOfType(DataSource.class).entrySet()) {
            if ("off".equalsIgnoreCase(setting(source.getValue()))) {
                throw new IllegalStateException("Sessions of data source '" + source.getKey()
                        + "' run with synchronous_commit=off: an acknowledged message could be lost in a "
                        + "database crash. Chorus asks for synchronous_commit=on when it connects; a JDBC URL "
                        + "with its own 'options' parameter, or a connection pooler dropping startup parameters, "
                        + "loses that request. Add '" + STARTUP_OPTION + "' to those options, or set "
                        + "synchronous_commit=on on the server.");
            }
        }
    }

    /** The Hikari pool itself, also inside a wrapper ({@link DatabaseAvailability} wraps every data source). */
    private static Object pool(Object bean) {
        try {
            return bean instanceof DataSource source && !(bean instanceof HikariDataSource)
                    && source.isWrapperFor(HikariDataSource.class) ? source.unwrap(HikariDataSource.class) : bean;
        } catch (SQLException notAWrapper) {
            return bean;
        }
    }

    private static String setting(DataSource source) {
        return JdbcClient.create(source).sql("SHOW synchronous_commit").query(String.class).single();
    }
}
