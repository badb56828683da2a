package io.chorus.chat.stomp;

import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.messaging.StompSubProtocolHandler;
import org.springframework.web.socket.messaging.SubProtocolWebSocketHandler;

/**
 * Spring's STOMP protocol handlers, which {@code @EnableWebSocketMessageBroker} creates without
 * a hook for their decoder and header initializer: adjusted once every singleton exists.
 */
final class StompProtocolHandlers {

    private StompProtocolHandlers() {
    }

    static void each(ObjectProvider<WebSocketHandler> webSocketHandler, Consumer<StompSubProtocolHandler> adjust) {
        if (webSocketHandler.getIfAvailable() instanceof SubProtocolWebSocketHandler subProtocols) {
            subProtocols.getProtocolHandlers().stream()
                    .filter(StompSubProtocolHandler.class::isInstance)
                    .map(StompSubProtocolHandler.class::cast)
                    .forEach(adjust);
        }
    }
}
