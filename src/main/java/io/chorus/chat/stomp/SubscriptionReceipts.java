package io.chorus.chat.stomp;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.simp.user.UserDestinationMessageHandler;
import org.springframework.messaging.support.ExecutorChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;

/**
 * Answers a SUBSCRIBE that asks for a receipt once the subscription is really registered
 * (the in-process broker sends none of its own). Clients rely on it to reconnect without a
 * gap: subscribe, wait for the RECEIPT, then catch up over REST; anything posted after the
 * receipt arrives live, anything before it comes with the catch-up.
 */
@Component
class SubscriptionReceipts implements ExecutorChannelInterceptor {

    private static final byte[] EMPTY = new byte[0];

    private final ObjectProvider<MessageChannel> clientOutboundChannel;

    SubscriptionReceipts(@Qualifier("clientOutboundChannel") ObjectProvider<MessageChannel> clientOutboundChannel) {
        this.clientOutboundChannel = clientOutboundChannel;
    }

    @Override
    public void afterMessageHandled(Message<?> message, MessageChannel channel, MessageHandler handler,
            Exception failure) {
        // User destinations are registered with the broker synchronously inside this handler.
        if (failure != null || !(handler instanceof UserDestinationMessageHandler)) {
            return;
        }
        StompHeaderAccessor subscribe = StompHeaderAccessor.wrap(message);
        if (subscribe.getCommand() != StompCommand.SUBSCRIBE || subscribe.getReceipt() == null) {
            return;
        }
        StompHeaderAccessor receipt = StompHeaderAccessor.create(StompCommand.RECEIPT);
        receipt.setReceiptId(subscribe.getReceipt());
        receipt.setSessionId(subscribe.getSessionId());
        clientOutboundChannel.getObject().send(MessageBuilder.createMessage(EMPTY, receipt.getMessageHeaders()));
    }
}
