package io.chorus.chat.stomp;

import io.chorus.chat.internal.ChatProperties;
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
 * The RECEIPT frames Chorus sends (the in-process broker sends none of its own). A SUBSCRIBE
 * that asks for one is answered once the subscription is really registered: clients rely on it
 * to reconnect without a gap (subscribe, wait for the RECEIPT, then catch up over REST; anything
 * posted after the receipt arrives live, anything before it comes with the catch-up). A token
 * refresh is confirmed through {@link #send} as well.
 *
 * <p>With the broker relay the broker itself answers a SUBSCRIBE's receipt, once it holds the
 * subscription (sent from here, it would come before that, and twice).
 */
@Component
class StompReceipts implements ExecutorChannelInterceptor {

    private static final byte[] EMPTY = new byte[0];

    private final ObjectProvider<MessageChannel> clientOutboundChannel;
    private final boolean brokerAnswers;

    StompReceipts(@Qualifier("clientOutboundChannel") ObjectProvider<MessageChannel> clientOutboundChannel,
            ChatProperties properties) {
        this.clientOutboundChannel = clientOutboundChannel;
        this.brokerAnswers = properties.broker().relayed();
    }

    @Override
    public void afterMessageHandled(Message<?> message, MessageChannel channel, MessageHandler handler,
            Exception failure) {
        // User destinations are registered with the broker synchronously inside this handler.
        if (brokerAnswers || failure != null || !(handler instanceof UserDestinationMessageHandler)) {
            return;
        }
        StompHeaderAccessor subscribe = StompHeaderAccessor.wrap(message);
        if (subscribe.getCommand() != StompCommand.SUBSCRIBE || subscribe.getReceipt() == null) {
            return;
        }
        send(subscribe.getSessionId(), subscribe.getReceipt());
    }

    /** A RECEIPT for {@code receiptId} to the session {@code sessionId}. */
    void send(String sessionId, String receiptId) {
        StompHeaderAccessor receipt = StompHeaderAccessor.create(StompCommand.RECEIPT);
        receipt.setReceiptId(receiptId);
        receipt.setSessionId(sessionId);
        clientOutboundChannel.getObject().send(MessageBuilder.createMessage(EMPTY, receipt.getMessageHeaders()));
    }
}
