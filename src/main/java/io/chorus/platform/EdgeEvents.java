package io.chorus.platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes events that edges (filters, the token converter, STOMP session callbacks) raise
 * outside any transaction. Only an event published inside one is kept in the event publication
 * registry, so each gets a short transaction of its own. Publishing never fails the request or
 * session it describes.
 */
@Component
public class EdgeEvents {

    private static final Logger log = LoggerFactory.getLogger(EdgeEvents.class);

    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;

    EdgeEvents(ApplicationEventPublisher events, PlatformTransactionManager transactionManager) {
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    public void publish(Object event) {
        try {
            transactions.executeWithoutResult(status -> events.publishEvent(event));
        } catch (RuntimeException failure) {
            log.warn("Could not publish {}", event.getClass().getSimpleName(), failure);
        }
    }
}
