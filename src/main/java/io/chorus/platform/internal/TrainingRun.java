package io.chorus.platform.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The training run of the JVM's AOT cache (README, "Starting fast"): with
 * {@code chorus.platform.training-run}, Chorus starts as always and, as soon as it is ready for
 * traffic, shuts down in order, so that the JVM ends normally and writes down every class the
 * start loaded and linked, the runners and the readiness included.
 *
 * <p>Spring's own {@code -Dspring.context.exit=onRefresh} halts the JVM right after the refresh
 * without closing anything: it would leave the embedded PostgreSQL running, and train less.
 */
@Component
@ConditionalOnBooleanProperty("chorus.platform.training-run")
class TrainingRun {

    private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);

    private final ApplicationContext context;

    TrainingRun(ApplicationContext context) {
        this.context = context;
    }

    @EventListener
    void onReadiness(AvailabilityChangeEvent<ReadinessState> change) {
        if (change.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
            log.info("Training run: ready, shutting down");
            // On a thread of its own: this event is published from inside SpringApplication.run,
            // which must finish before the context closes under it.
            Thread.ofPlatform().name("training-run-stop").start(() -> SpringApplication.exit(context));
        }
    }
}
