package io.chorus.chat.stomp;

import io.chorus.chat.internal.ChatProperties;
import java.util.HashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;
import org.springframework.messaging.simp.user.UserRegistryMessageHandler;

/**
 * Fits Spring's broker relay to several Chorus nodes, before it starts: the node's own
 * connection to the broker also subscribes to {@link NodeBus#TOPIC}, and the nodes tell each
 * other their users as often as {@code registry-broadcast-interval} says (Spring's default, every
 * 10 s, made presence across nodes lag too long). Spring offers neither as configuration.
 */
final class RelayWiring implements BeanPostProcessor {

    private final ObjectProvider<NodeBus> bus;
    private final ObjectProvider<ChatProperties> properties;

    RelayWiring(ObjectProvider<NodeBus> bus, ObjectProvider<ChatProperties> properties) {
        this.bus = bus;
        this.properties = properties;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String name) {
        if (bean instanceof StompBrokerRelayMessageHandler relay) {
            Map<String, MessageHandler> subscriptions = new HashMap<>(relay.getSystemSubscriptions());
            // Looked up when the first bus message arrives: the bus depends on beans made after the relay.
            subscriptions.put(NodeBus.TOPIC, message -> bus.getObject().receiver().handleMessage(message));
            relay.setSystemSubscriptions(subscriptions);
        } else if (bean instanceof UserRegistryMessageHandler registry) {
            // Spring broadcasts every half expiration period; a node gone silent is forgotten after a full one.
            long interval = properties.getObject().broker().relay().registryBroadcastInterval().toMillis();
            registry.setRegistryExpirationPeriod(2 * interval);
        }
        return bean;
    }
}
