package io.chorus.chat.stomp;

import java.util.HashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;

/**
 * Makes the node's own ("system") connection to the broker also subscribe to
 * {@link NodeBus#TOPIC}, before the relay starts. Spring uses that connection for its own
 * node-to-node messages and offers no configuration for more.
 */
final class RelayWiring implements BeanPostProcessor {

    private final ObjectProvider<NodeBus> bus;

    RelayWiring(ObjectProvider<NodeBus> bus) {
        this.bus = bus;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String name) {
        if (bean instanceof StompBrokerRelayMessageHandler relay) {
            Map<String, MessageHandler> subscriptions = new HashMap<>(relay.getSystemSubscriptions());
            // Looked up when the first bus message arrives: the bus depends on beans made after the relay.
            subscriptions.put(NodeBus.TOPIC, message -> bus.getObject().receiver().handleMessage(message));
            relay.setSystemSubscriptions(subscriptions);
        }
        return bean;
    }
}
