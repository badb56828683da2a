package io.chorus.chat.stomp;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.stereotype.Component;

/**
 * Answers a frame refused on the inbound channel (bad token, denied destination) with an ERROR
 * frame, after which the connection closes. Spring would do this itself, but with receive order
 * preserved it sends frames through an ordered channel that only logs the refusal: the client
 * would wait forever on a connection that stays open. Registered first, so it sees what every
 * later interceptor throws.
 */
@Component
class InboundRefusals implements ChannelInterceptor {

    private final StompErrorFrames errorFrames;
    private final ObjectProvider<MessageChannel> clientOutboundChannel;

    InboundRefusals(StompErrorFrames errorFrames,
            @Qualifier("clientOutboundChannel") ObjectProvider<MessageChannel> clientOutboundChannel) {
        this.errorFrames = errorFrames;
        this.clientOutboundChannel = clientOutboundChannel;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterSendCompletion(Message<?> message, MessageChannel channel, boolean sent, Exception failure) {
        String sessionId = SimpMessageHeaderAccessor.getSessionId(message.getHeaders());
        if (failure == null || sessionId == null || !(message.getPayload() instanceof byte[])) {
            return;
        }
        Message<byte[]> error = errorFrames.handleClientMessageProcessingError((Message<byte[]>) message, failure);
        StompHeaderAccessor headers = MessageHeaderAccessor.getAccessor(error, StompHeaderAccessor.class);
        if (headers == null) {
            return;
        }
        headers.setSessionId(sessionId);
        clientOutboundChannel.getObject().send(error);
    }
}
