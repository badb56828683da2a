package io.chorus.audit.internal;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Signs the chain head every {@code chorus.audit.checkpoints.interval} when it moved since the last
 * one, records the repeats of refusals whose window closed, and removes expired entries when an
 * entry retention is set.
 */
@Configuration(proxyBeanMethods = false)
class AuditSchedule implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(AuditSchedule.class);

    private final ChainWriter chain;
    private final CheckpointSigner signer;
    private final EntryRetention retention;
    private final RepeatedRefusals refusals;
    private final AuditProperties properties;
    private final Clock clock;

    AuditSchedule(ChainWriter chain, CheckpointSigner signer, EntryRetention retention, RepeatedRefusals refusals,
            AuditProperties properties, Clock clock) {
        this.chain = chain;
        this.signer = signer;
        this.retention = retention;
        this.refusals = refusals;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(this::checkpoint, properties.checkpoints().interval());
        tasks.addFixedDelayTask(this::closeRefusalWindows, properties.refusals().closeInterval());
        if (properties.entryRetention() != null) {
            tasks.addFixedDelayTask(this::removeExpired, properties.retentionInterval());
        }
    }

    void closeRefusalWindows() {
        try {
            refusals.closeWindows(clock.instant());
        } catch (RuntimeException retryLater) {
            log.warn("Could not record repeated refusals; trying again in {}", properties.refusals().closeInterval(),
                    retryLater);
        }
    }

    void removeExpired() {
        try {
            retention.purgeExpired();
        } catch (RuntimeException retryLater) {
            log.warn("Could not remove expired audit entries; trying again in {}", properties.retentionInterval(),
                    retryLater);
        }
    }

    void checkpoint() {
        try {
            chain.drain();
            signer.checkpoint(true).ifPresent(taken ->
                    log.info("Signed audit checkpoint {} at entry {}", taken.id(), taken.seq()));
        } catch (RuntimeException retryLater) {
            log.warn("Could not sign an audit checkpoint; trying again in {}", properties.checkpoints().interval(),
                    retryLater);
        }
    }
}
