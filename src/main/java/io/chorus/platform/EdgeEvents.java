package io.chorus.identity.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes the security events the audit trail records. Edges (filters, the token converter)
 * run outside any transaction, and only an event published inside one is kept in the event
 * publication registry; each gets a short transaction of its own. Recording never fails the
 * request it describes.
 */
@Component
class SecurityEvents {

    private static final Logger log = LoggerFactory.getLogger(SecurityEvents.class);

    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;

    SecurityEvents(ApplicationEventPublisher events, PlatformTransactionManager transactionManager) {
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    void publish(Object event) {
        try {
            transactions.executeWithoutResult(status -> events.publishEvent(event));
        } catch (RuntimeException failure) {
            log.warn("Could not record security event {}", event.getClass().getSimpleName(), failure);
        }
    }
}
