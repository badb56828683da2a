package io.chorus.chat.stomp;

import io.chorus.platform.ProblemCodes;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.security.access.AccessDeniedException;
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
class StompErrorFrames extends StompSubProtocolErrorHandler {

    private final JsonMapper json;

    StompErrorFrames(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Message<byte[]> handleClientMessageProcessingError(Message<byte[]> clientMessage, Throwable failure) {
        StompHeaderAccessor client = clientMessage == null ? null
                : MessageHeaderAccessor.getAccessor(clientMessage, StompHeaderAccessor.class);
        StompError error = describe(failure, client);
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

    private static StompError describe(Throwable failure, StompHeaderAccessor client) {
        String destination = client == null ? null : client.getDestination();
        boolean anonymous = client == null || client.getUser() == null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AuthenticationException) {
                return new StompError(ProblemCodes.UNAUTHENTICATED, 401,
                        "CONNECT needs a valid 'Authorization: Bearer <token>' header.", destination, null);
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
        if (text.contains("size limit") || text.contains("exceeded")) {
            return new StompError(ProblemCodes.FRAME_TOO_LARGE, 413, "The frame is larger than this server accepts.",
                    destination, null);
        }
        return new StompError(ProblemCodes.MALFORMED_REQUEST, 400, "The frame could not be processed.",
                destination, null);
    }
}
