package io.chorus.chat.stomp;

import io.chorus.chat.internal.ChatProperties;
import java.nio.ByteBuffer;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompConversionException;
import org.springframework.messaging.simp.stomp.StompDecoder;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.socket.WebSocketHandler;

/**
 * Refuses a frame as soon as its {@code content-length} header announces more than
 * {@code max-frame-bytes}. Spring's decoder only compares that header with the limit when the
 * next part of the frame arrives, so a client that announced a huge body and sent a short one
 * held the session in limbo, and then lost it without the documented {@code FRAME_TOO_LARGE}
 * ERROR frame.
 */
@Component
class StompFrameLimit implements SmartInitializingSingleton {

    private final ObjectProvider<WebSocketHandler> webSocketHandler;
    private final ChatProperties properties;

    StompFrameLimit(@Qualifier("subProtocolWebSocketHandler") ObjectProvider<WebSocketHandler> webSocketHandler,
            ChatProperties properties) {
        this.webSocketHandler = webSocketHandler;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        StompProtocolHandlers.each(webSocketHandler, stomp -> {
            BoundedDecoder decoder = new BoundedDecoder(properties.stomp().maxFrameBytes());
            decoder.setHeaderInitializer(stomp.getHeaderInitializer());
            stomp.setDecoder(decoder);
        });
    }

    /** Thrown for a frame over the limit; {@link StompErrorFrames} answers it with FRAME_TOO_LARGE. */
    static final class FrameTooLarge extends StompConversionException {

        FrameTooLarge(long declared, int limit) {
            super("The frame announces " + declared + " bytes; at most " + limit + " are accepted.");
        }
    }

    private static final class BoundedDecoder extends StompDecoder {

        private final int limit;

        BoundedDecoder(int limit) {
            this.limit = limit;
        }

        @Override
        public List<Message<byte[]>> decode(ByteBuffer buffer, MultiValueMap<String, String> partialMessageHeaders) {
            List<Message<byte[]>> decoded = super.decode(buffer, partialMessageHeaders);
            // Filled only when the frame is incomplete: its headers are in, its body is still to come.
            String declared = partialMessageHeaders == null ? null : partialMessageHeaders.getFirst("content-length");
            if (declared != null) {
                long length;
                try {
                    length = Long.parseLong(declared.strip());
                } catch (NumberFormatException unreadable) {
                    return decoded; // Spring's own decoder refuses it once it reads the body
                }
                if (length > limit) {
                    throw new FrameTooLarge(length, limit);
                }
            }
            return decoded;
        }
    }
}
