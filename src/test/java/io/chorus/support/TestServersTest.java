package io.chorus.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.support.TestServers.Source;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Which servers the tests run against: detected, overridable, and applied where the database is chosen. */
class TestServersTest {

    @Test
    void withoutAnEngineTheTestsTakeTheServersMavenCentralServes() {
        assertThat(TestServers.choose(null, () -> false).source()).isEqualTo(Source.MAVEN_CENTRAL);
        assertThat(TestServers.choose("auto", () -> false).source()).isEqualTo(Source.MAVEN_CENTRAL);
    }

    @Test
    void anEngineThatAnswersBringsContainers() {
        assertThat(TestServers.choose(null, () -> true).source()).isEqualTo(Source.CONTAINERS);
        assertThat(TestServers.choose(" AUTO ", () -> true).source()).isEqualTo(Source.CONTAINERS);
    }

    @Test
    void theVariableOverridesTheDetectionBothWays() {
        assertThat(TestServers.choose("false", () -> true).source()).isEqualTo(Source.MAVEN_CENTRAL);
        assertThat(TestServers.choose("true", () -> {
            throw new AssertionError("no probe when the choice is given");
        }).source()).isEqualTo(Source.CONTAINERS);
    }

    @Test
    void aMisspeltSettingNamesTheVariableAndItsValues() {
        assertThatThrownBy(() -> TestServers.choose("yes", () -> false))
                .hasMessageContaining("CHORUS_TEST_CONTAINERS").hasMessageContaining("true, false, auto");
    }

    @Test
    void theApplicationGetsTheDatabaseOfTheChosenServers() {
        // On the project's machines (a docker CLI, no engine) this is the embedded PostgreSQL; where an engine
        // answers, a database of its own in the PostgreSQL container.
        try (ConfigurableApplicationContext context = bareApplication()
                .run("--chorus.platform.embedded-database.enabled=true")) {
            Environment environment = context.getEnvironment();
            if (TestServers.fromContainers()) {
                assertThat(environment.getProperty("chorus.platform.embedded-database.enabled")).isEqualTo("false");
                assertThat(environment.getProperty("spring.datasource.url")).matches("jdbc:postgresql://.*/chorus_\\d+.*");
            } else {
                assertThat(environment.getProperty("chorus.platform.embedded-database.enabled")).isEqualTo("true");
                assertThat(environment.getProperty("spring.datasource.url")).isNullOrEmpty();
            }
        }
    }

    @Test
    void aContextThatNeedsTheEmbeddedServerKeepsIt() {
        try (ConfigurableApplicationContext context = bareApplication()
                .run("--chorus.platform.embedded-database.enabled=true", "--chorus.test.containers=false")) {
            assertThat(context.getEnvironment().getProperty("chorus.platform.embedded-database.enabled"))
                    .isEqualTo("true");
        }
    }

    /** No Chorus beans: only the environment, where the database is chosen, is under test. */
    private static SpringApplication bareApplication() {
        SpringApplication application = new SpringApplication(Empty.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        return application;
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }
}
