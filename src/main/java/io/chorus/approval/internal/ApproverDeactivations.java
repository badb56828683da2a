package io.chorus.approval.internal;

import io.chorus.identity.IdentityEvents;
import java.time.Clock;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** An approver who leaves the company hands every open task to their successor (manager, then fallbacks). */
@Component
class ApproverDeactivations {

    private final InstanceRepository repository;
    private final ApprovalInstances instances;
    private final Routing routing;
    private final Clock clock;

    ApproverDeactivations(InstanceRepository repository, ApprovalInstances instances, Routing routing, Clock clock) {
        this.repository = repository;
        this.instances = instances;
        this.routing = routing;
        this.clock = clock;
    }

    /** Idempotent: a redelivered event finds no live task of theirs left. */
    @ApplicationModuleListener
    void on(IdentityEvents.UserDeactivated event) {
        for (var instanceId : repository.withLiveTasksOf(event.userId().value())) {
            instances.system(instanceId, instance -> instance.replaceDeactivated(event.userId().value(), routing,
                    clock.instant()));
        }
    }
}
