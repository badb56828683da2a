package io.chorus.chat.stomp;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.messaging.support.MessageHeaderInitializer;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;

/**
 * Stamps every inbound frame with the moment it was read off the connection, so that a SEND can
 * be judged by how long it waited before a thread took it up. The stamp is set as the frame is
 * decoded: a frame waits first behind its own session's earlier frames (they are handled in the
 * order sent) and then for a thread, and both waits count. Interceptors run too late for this:
 * they see a frame only once its session's earlier frames are done.
 */
@Component
class FrameArrival implements MessageHeaderInitializer, SmartInitializingSingleton {

    /** {@link System#nanoTime()} when the frame was decoded. */
    static final String RECEIVED_AT = "chorusReceivedAt";

    private final ObjectProvider<WebSocketHandler> webSocketHandler;

    FrameArrival(@Qualifier("subProtocolWebSocketHandler") ObjectProvider<WebSocketHandler> webSocketHandler) {
        this.webSocketHandler = webSocketHandler;
    }

    @Override
    public void afterSingletonsInstantiated() {
        // Sets it on the handler's current decoder too, whether StompFrameLimit replaced that before or after.
        StompProtocolHandlers.each(webSocketHandler, stomp -> stomp.setHeaderInitializer(this));
    }

    @Override
    public void initHeaders(MessageHeaderAccessor headerAccessor) {
        headerAccessor.setHeader(RECEIVED_AT, System.nanoTime());
    }

    /** When the frame was decoded, or now for a message that did not come from a client. */
    static long receivedAt(Message<?> message) {
        return message.getHeaders().get(RECEIVED_AT) instanceof Long stamp ? stamp : System.nanoTime();
    }
}
