package io.chorus.platform.internal;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Refuses to start with the embedded database asked for (local mode) when this build has no
 * PostgreSQL binaries: the production jar and the image leave them out (they are an optional
 * dependency). Checked before any bean exists, so the operator reads what to do instead of a
 * {@code NoClassDefFoundError} at the end of a chain of bean failures.
 */
class EmbeddedDatabaseBinaries implements EnvironmentPostProcessor {

    static final String ENABLED = "chorus.platform.embedded-database.enabled";
    static final String SERVER_CLASS = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean wanted = environment.getProperty(ENABLED, Boolean.class, false);
        if (wanted && !ClassUtils.isPresent(SERVER_CLASS, application.getClassLoader())) {
            throw new Absent();
        }
    }

    /** The embedded database was asked for, and this build cannot start one. */
    static final class Absent extends IllegalStateException {
        Absent() {
            super("The embedded PostgreSQL (" + ENABLED + "=true, set by the local profile) is not part of this "
                    + "build: the production jar and image carry no PostgreSQL binaries");
        }
    }

    /** Says what to do instead, without a stack trace. */
    static final class Analyzer extends AbstractFailureAnalyzer<Absent> {
        @Override
        protected FailureAnalysis analyze(Throwable rootFailure, Absent cause) {
            return new FailureAnalysis(cause.getMessage() + ".",
                    "In production, leave the local profile off and point Chorus at a PostgreSQL server "
                            + "(CHORUS_DB_URL, CHORUS_DB_USER, CHORUS_DB_PASSWORD; see docs/operations.md). "
                            + "For local mode, run `./mvnw spring-boot:run`, or build the jar that carries the binaries "
                            + "with `./mvnw package -Plocal-jar` and run target/chorus-<version>-local.jar. "
                            + "Local mode on a PostgreSQL server of your own: CHORUS_EMBEDDED_DB=false and CHORUS_DB_URL.",
                    cause);
        }
    }
}
