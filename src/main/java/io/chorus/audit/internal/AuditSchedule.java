package io.chorus.audit.internal;

import io.chorus.platform.ScheduledJobs;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Signs the chain head every {@code chorus.audit.checkpoints.interval} when it moved since the last
 * one, records the repeats of refusals whose window closed, and removes expired entries when an
 * entry retention is set. Each on one node at a time: two nodes signing at once would sign the same
 * head twice, and two counting refusals would record their repeats twice.
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
    private final ScheduledJobs jobs;

    AuditSchedule(ChainWriter chain, CheckpointSigner signer, EntryRetention retention, RepeatedRefusals refusals,
            AuditProperties properties, Clock clock, ScheduledJobs jobs) {
        this.chain = chain;
        this.signer = signer;
        this.retention = retention;
        this.refusals = refusals;
        this.properties = properties;
        this.clock = clock;
        this.jobs = jobs;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        // lockAtMostFor: a checkpoint drains what waits and signs once (seconds); closing windows is
        // one query over the open tallies; removing expired entries deletes in batches, which the
        // first run after a retention is set, over years of entries, may take an hour.
        jobs.onOneNode(tasks, "audit.checkpoint", Duration.ZERO, properties.checkpoints().interval(),
                Duration.ofMinutes(10), this::checkpoint);
        jobs.onOneNode(tasks, "audit.refusal-windows", Duration.ZERO, properties.refusals().closeInterval(),
                Duration.ofMinutes(5), this::closeRefusalWindows);
        if (properties.entryRetention() != null) {
            jobs.onOneNode(tasks, "audit.entry-retention", Duration.ZERO, properties.retentionInterval(),
                    Duration.ofHours(2), this::removeExpired);
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
