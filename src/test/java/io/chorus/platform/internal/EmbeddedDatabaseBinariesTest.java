package io.chorus.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * The production jar leaves the embedded PostgreSQL out (an optional dependency). Asking it for
 * local mode must stop the start with a message that says so and what to do, before any bean
 * fails on a missing class.
 */
class EmbeddedDatabaseBinariesTest {

    @Test
    void localModeWithoutTheBinariesStopsTheStartWithAClearMessage() {
        SpringApplication application = application(new FilteredClassLoader("io.zonky."));

        assertThatThrownBy(() -> application.run("--chorus.platform.embedded-database.enabled=true").close())
                .isInstanceOf(EmbeddedDatabaseBinaries.Absent.class)
                .hasMessageContaining("not part of this build");
    }

    @Test
    void withoutLocalModeTheMissingBinariesDoNotMatter() {
        SpringApplication application = application(new FilteredClassLoader("io.zonky."));

        try (ConfigurableApplicationContext context = application.run()) {
            assertThat(context.isActive()).isTrue();
        }
    }

    @Test
    void withTheBinariesLocalModeIsAllowed() {
        SpringApplication application = application(getClass().getClassLoader());

        try (ConfigurableApplicationContext context = application.run(
                "--chorus.platform.embedded-database.enabled=true")) {
            assertThat(context.isActive()).isTrue();
        }
    }

    @Test
    void theStartFailureTellsTheOperatorWhatToDoInstead() {
        // Boot finds failure analyzers by these names; the analysis it prints instead of the stack trace:
        assertThat(SpringFactoriesLoader.loadFactoryNames(FailureAnalyzer.class, getClass().getClassLoader()))
                .contains(EmbeddedDatabaseBinaries.Analyzer.class.getName());
        FailureAnalysis analysis = new EmbeddedDatabaseBinaries.Analyzer()
                .analyze(new IllegalStateException("wrapped", new EmbeddedDatabaseBinaries.Absent()));

        assertThat(analysis.getDescription()).contains("no PostgreSQL binaries");
        assertThat(analysis.getAction()).contains("CHORUS_DB_URL", "./mvnw spring-boot:run", "-Plocal-jar");
    }

    /** A bare application (no Chorus beans): only the environment check is under test. */
    private static SpringApplication application(ClassLoader classLoader) {
        SpringApplication application = new SpringApplication(new DefaultResourceLoader(classLoader), Empty.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        return application;
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }
}
