package io.chorus.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.chorus.ChorusApplication;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * The training run that records the JVM's AOT cache (README, "Starting fast") must go all the
 * way to readiness, so that it trains what a real start does, and then stop in order, so that
 * the JVM ends normally and no embedded PostgreSQL is left running behind it.
 */
class TrainingRunTest {

    private ConfigurableApplicationContext context;

    @AfterEach
    void closeWhatIsLeft() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void aTrainingRunStopsItselfOnceReadyAndTakesItsDatabaseDown() {
        List<String> milestones = new CopyOnWriteArrayList<>();
        AtomicReference<String> databaseUrl = new AtomicReference<>();
        ApplicationListener<?> watcher = event -> {
            if (event instanceof ApplicationReadyEvent ready) {
                databaseUrl.set(ready.getApplicationContext().getBean(EmbeddedDatabase.class).jdbcUrl());
            } else if (event instanceof AvailabilityChangeEvent<?> change
                    && change.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
                milestones.add("accepting traffic");
            } else if (event instanceof ContextClosedEvent) {
                milestones.add("closed");
            }
        };

        context = new SpringApplicationBuilder(ChorusApplication.class)
                .profiles("test")
                // The embedded server itself is under test here, also where the others come from containers.
                .properties("server.port=0", "chorus.platform.training-run=true", "chorus.test.containers=false")
                .listeners(watcher)
                .run();

        await().atMost(Duration.ofSeconds(60)).until(() -> !context.isActive());
        assertThat(milestones).containsExactly("accepting traffic", "closed");
        assertThat(databaseUrl.get()).as("the embedded database it ran on").isNotNull();
        assertThatThrownBy(() -> DriverManager.getConnection(databaseUrl.get()).close())
                .as("the embedded database has stopped with it")
                .isInstanceOf(SQLException.class);
    }
}
