package io.chorus.chat.stomp;

import io.chorus.identity.BearerTokenAuthenticator;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.stereotype.Component;

/**
 * Authenticates the CONNECT frame from its {@code Authorization: Bearer <jwt>} header; the
 * session then carries that user for every later frame. A CONNECT without a valid token is
 * refused with an ERROR frame and the connection closed.
 */
@Component
class StompAuthentication implements ChannelInterceptor {

    private static final String AUTHORIZATION = "Authorization";
    private static final String BEARER = "Bearer ";

    private final BearerTokenAuthenticator authenticator;

    StompAuthentication(BearerTokenAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public Message<?> preSend(Message<?> message, MessageChannel channel) {
        StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
        if (accessor != null && StompCommand.CONNECT.equals(accessor.getCommand())) {
            String header = accessor.getFirstNativeHeader(AUTHORIZATION);
            // Spring logs a refused frame with all its headers: the token must not be among them.
            accessor.removeNativeHeader(AUTHORIZATION);
            if (header == null || !header.startsWith(BEARER)) {
                throw new AuthenticationCredentialsNotFoundException("CONNECT needs an 'Authorization: Bearer <token>' header.");
            }
            accessor.setUser(authenticator.authenticate(header.substring(BEARER.length()).strip()));
        }
        return message;
    }
}
