package io.chorus.chat.stomp;

import io.chorus.chat.internal.ChatProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

/**
 * What an open WebSocket costs while its user is idle, which is most of the time: a node holds
 * tens of thousands. Tomcat gives every connection 8 KiB buffers (socket read and write, frame
 * input, text and binary message assembly); an idle chat session needs little of that, and a
 * larger STOMP frame is simply read in parts (the STOMP decoder reassembles them up to
 * {@code max-frame-bytes}).
 */
@Configuration(proxyBeanMethods = false)
class SessionFootprint {

    /**
     * Takes STOMP frames in parts, with a small assembly buffer per session. The servlet
     * container buffers a WebSocket message only up to its buffer size and closes the connection
     * (1009, no STOMP ERROR) on a larger one unless the handler takes it in parts; STOMP's decoder
     * reassembles the parts and enforces {@code max-frame-bytes} itself, so every frame up to that
     * size is accepted and a larger one gets an ERROR frame naming the cause. Spring's STOMP
     * handler raises each session's text buffer to 16,640 characters when the session starts (33 KB
     * per session, for a client that cannot take parts); with parts, it goes back down.
     */
    static WebSocketHandler inParts(WebSocketHandler handler, int bufferBytes) {
        return new WebSocketHandlerDecorator(handler) {
            @Override
            public boolean supportsPartialMessages() {
                return true;
            }

            @Override
            public void afterConnectionEstablished(WebSocketSession session) throws Exception {
                super.afterConnectionEstablished(session);
                session.setTextMessageSizeLimit(bufferBytes);
                session.setBinaryMessageSizeLimit(bufferBytes);
            }
        };
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> smallSocketBuffers(ChatProperties properties) {
        String buffer = Integer.toString(properties.stomp().sessionBufferBytes());
        return factory -> factory.addConnectorCustomizers(connector -> {
            connector.setProperty("socket.appReadBufSize", buffer);
            connector.setProperty("socket.appWriteBufSize", buffer);
        });
    }
}
