package io.chorus.audit.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** Signs the chain head every {@code chorus.audit.checkpoints.interval}, when it moved since the last one. */
@Configuration(proxyBeanMethods = false)
class CheckpointSchedule implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(CheckpointSchedule.class);

    private final ChainWriter chain;
    private final CheckpointSigner signer;
    private final AuditProperties properties;

    CheckpointSchedule(ChainWriter chain, CheckpointSigner signer, AuditProperties properties) {
        this.chain = chain;
        this.signer = signer;
        this.properties = properties;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(this::checkpoint, properties.checkpoints().interval());
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
