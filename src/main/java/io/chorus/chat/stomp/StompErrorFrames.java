package io.chorus.chat.stomp;

import io.chorus.identity.AccountDeactivatedException;
import io.chorus.platform.DatabaseUnavailable;
import io.chorus.platform.ProblemCodes;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.broker.OrderedMessageChannelDecorator;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.socket.messaging.StompSubProtocolErrorHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ERROR frame for a frame refused before any handler ran (bad token, denied destination,
 * oversized frame). By default it names no cause; ours carries the stable code in the
 * {@code message} header and a JSON body like every other error event. STOMP closes the
 * connection after an ERROR frame.
 */
@Component
class StompErrorFrames extends StompSubProtocolErrorHandler implements ChannelInterceptor {

    private final JsonMapper json;
    private final ObjectProvider<MessageChannel> clientOutboundChannel;
    private final SessionActivity sessions;

    StompErrorFrames(JsonMapper json,
            @Qualifier("clientOutboundChannel") ObjectProvider<MessageChannel> clientOutboundChannel,
            SessionActivity sessions) {
        this.json = json;
        this.clientOutboundChannel = clientOutboundChannel;
        this.sessions = sessions;
    }

    /**
     * A frame an inbound interceptor refused (bad token, denied destination). With
     * {@code preserveReceiveOrder} Spring's ordering decorator catches and only logs that failure,
     * so {@link #handleClientMessageProcessingError} is never called and the client would wait
     * forever (spring-framework#33937). As the first inbound interceptor this one hears of every
     * later one's refusal and sends the ERROR frame itself; Spring closes the connection after it.
     */
    @Override
    @SuppressWarnings("unchecked")
    public void afterSendCompletion(Message<?> message, MessageChannel channel, boolean sent, Exception failure) {
        String session = SimpMessageHeaderAccessor.getSessionId(message.getHeaders());
        // Without the ordering decorator the failure reaches Spring's own error handling instead.
        if (failure == null || session == null || OrderedMessageChannelDecorator.getNextMessageTask(message) == null
                || !(message.getPayload() instanceof byte[])) {
            return;
        }
        Message<byte[]> error = handleClientMessageProcessingError((Message<byte[]>) message, failure);
        StompHeaderAccessor headers = MessageHeaderAccessor.getAccessor(error, StompHeaderAccessor.class);
        headers.setSessionId(session);
        clientOutboundChannel.getObject().send(MessageBuilder.createMessage(error.getPayload(), headers.getMessageHeaders()));
    }

    @Override
    public Message<byte[]> handleClientMessageProcessingError(Message<byte[]> clientMessage, Throwable failure) {
        StompHeaderAccessor client = clientMessage == null ? null
                : MessageHeaderAccessor.getAccessor(clientMessage, StompHeaderAccessor.class);
        StompError error = describe(failure, client);
        if (error.status() == 403 && client != null) {
            sessions.denied(client, error.code());
        }
        StompHeaderAccessor headers = StompHeaderAccessor.create(StompCommand.ERROR);
        headers.setMessage(error.code());
        headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
        if (client != null && client.getReceipt() != null) {
            headers.setReceiptId(client.getReceipt());
        }
        headers.setLeaveMutable(true);
        MessageHeaders messageHeaders = headers.getMessageHeaders();
        return MessageBuilder.createMessage(json.writeValueAsBytes(error), messageHeaders);
    }

    /**
     * Ends a live session from the server's side: the ERROR frame tells the client why (the
     * same code REST would answer with), and Spring closes the connection after sending it.
     */
    void close(String sessionId, StompError error) {
        StompHeaderAccessor headers = StompHeaderAccessor.create(StompCommand.ERROR);
        headers.setMessage(error.code());
        headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
        headers.setSessionId(sessionId);
        clientOutboundChannel.getObject().send(
                MessageBuilder.createMessage(json.writeValueAsBytes(error), headers.getMessageHeaders()));
    }

    static StompError describe(Throwable failure, StompHeaderAccessor client) {
        String destination = client == null ? null : client.getDestination();
        boolean anonymous = client == null || client.getUser() == null;
        if (DatabaseUnavailable.isCause(failure)) {
            // Nobody's fault and passing (CONNECT looks the account up, SUBSCRIBE checks membership):
            // the same code as REST's 503, so the client retries instead of dropping its token.
            return new StompError(ProblemCodes.DATABASE_UNAVAILABLE, 503, DatabaseUnavailable.DETAIL, destination, null);
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof GracefulStop.Stopping) {
                return GracefulStop.STOPPING;
            }
            if (cause instanceof SessionCap.TooManySessions tooMany) {
                return new StompError(ProblemCodes.TOO_MANY_SESSIONS, 429,
                        tooMany.getMessage() + " Close one before opening another.", destination, null);
            }
            if (cause instanceof AuthenticationServiceException) {
                return new StompError(ProblemCodes.IDENTITY_PROVIDER_UNAVAILABLE, 503,
                        "Chorus cannot reach its identity provider right now; try again shortly.", destination, null);
            }
            if (cause instanceof AccountDeactivatedException) {
                return new StompError(ProblemCodes.ACCOUNT_DEACTIVATED, 401, "This account has been deactivated.",
                        destination, null);
            }
            if (cause instanceof CredentialsExpiredException) {
                return new StompError(SessionExpiry.EXPIRED.code(), SessionExpiry.EXPIRED.status(),
                        SessionExpiry.EXPIRED.detail(), destination, null);
            }
            if (cause instanceof AuthenticationException) {
                return new StompError(ProblemCodes.UNAUTHENTICATED, 401, client != null && isConnect(client.getCommand())
                        ? "CONNECT needs a valid 'Authorization: Bearer <token>' header."
                        : "The token is not valid: expired, not meant for Chorus, or not genuine.", destination, null);
            }
            if (cause instanceof AccessDeniedException) {
                return anonymous
                        ? new StompError(ProblemCodes.UNAUTHENTICATED, 401,
                                "Send CONNECT with a valid bearer token first.", destination, null)
                        : new StompError(ProblemCodes.FORBIDDEN, 403,
                                "You may not use this destination.", destination, null);
            }
        }
        String text = String.valueOf(failure.getMessage());
        if (failure instanceof StompFrameLimit.FrameTooLarge || text.contains("size limit") || text.contains("exceeded")) {
            return new StompError(ProblemCodes.FRAME_TOO_LARGE, 413, "The frame is larger than this server accepts.",
                    destination, null);
        }
        if (anonymous && client != null && !isConnect(client.getCommand())) {
            // Spring refuses a frame of a session that never connected in its own words; to the
            // client it is what it is: a frame from nobody.
            return new StompError(ProblemCodes.UNAUTHENTICATED, 401, "Send CONNECT with a valid bearer token first.",
                    destination, null);
        }
        return new StompError(ProblemCodes.MALFORMED_REQUEST, 400, "The frame could not be processed.",
                destination, null);
    }

    private static boolean isConnect(StompCommand command) {
        return command == StompCommand.CONNECT || command == StompCommand.STOMP;
    }
}
