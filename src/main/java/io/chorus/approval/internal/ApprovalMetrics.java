package io.chorus.approval.internal;

import io.chorus.approval.ApprovalEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Approval counters (docs/operations.md, "Monitoring"): instances submitted, tasks decided and
 * instances completed, counted once their transaction has committed.
 */
@Component
class ApprovalMetrics {

    private final Counter submitted;
    private final Map<ApprovalEvents.Outcome, Counter> decided = new EnumMap<>(ApprovalEvents.Outcome.class);
    private final Map<ApprovalEvents.Outcome, Counter> completed = new EnumMap<>(ApprovalEvents.Outcome.class);

    ApprovalMetrics(MeterRegistry registry) {
        submitted = Counter.builder("chorus.approvals.submitted").description("Approval instances submitted")
                .register(registry);
        for (ApprovalEvents.Outcome outcome : ApprovalEvents.Outcome.values()) {
            String tag = outcome.name().toLowerCase(Locale.ROOT);
            decided.put(outcome, Counter.builder("chorus.approvals.decided")
                    .description("Approval tasks decided (automatic ones included), by outcome")
                    .tag("outcome", tag).register(registry));
            completed.put(outcome, Counter.builder("chorus.approvals.completed")
                    .description("Approval instances completed, by outcome").tag("outcome", tag).register(registry));
        }
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(ApprovalEvents.ApprovalSubmitted event) {
        submitted.increment();
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(ApprovalEvents.ApprovalDecided event) {
        decided.get(event.outcome()).increment();
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(ApprovalEvents.ApprovalCompleted event) {
        completed.get(event.outcome()).increment();
    }
}
