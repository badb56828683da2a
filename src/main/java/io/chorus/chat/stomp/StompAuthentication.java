package io.chorus.chat.stomp;

import io.chorus.identity.BearerTokenAuthenticator;
import io.chorus.identity.BearerTokenAuthenticator.Authenticated;
import io.chorus.identity.CurrentUser;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.stereotype.Component;

/**
 * Authenticates the CONNECT frame from its {@code Authorization: Bearer <jwt>} header; the
 * session then carries that user for every later frame, until the token expires
 * ({@link SessionExpiry}). A CONNECT without a valid token is refused with an ERROR frame and the
 * connection closed, and so is a SEND or SUBSCRIBE after the session's token expired, and a
 * CONNECT of a user who already has as many sessions as {@link SessionCap} allows.
 */
@Component
class StompAuthentication implements ChannelInterceptor {

    private static final String AUTHORIZATION = "Authorization";
    private static final String BEARER = "Bearer ";

    private final BearerTokenAuthenticator authenticator;
    private final SessionExpiry expiry;
    private final SessionCap sessions;

    StompAuthentication(BearerTokenAuthenticator authenticator, SessionExpiry expiry, SessionCap sessions) {
        this.authenticator = authenticator;
        this.expiry = expiry;
        this.sessions = sessions;
    }

    @Override
    public Message<?> preSend(Message<?> message, MessageChannel channel) {
        StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
        if (accessor == null) {
            return message;
        }
        if (StompCommand.CONNECT.equals(accessor.getCommand())) {
            String header = accessor.getFirstNativeHeader(AUTHORIZATION);
            // Spring logs a refused frame with all its headers: the token must not be among them.
            accessor.removeNativeHeader(AUTHORIZATION);
            if (header == null || !header.startsWith(BEARER)) {
                throw new AuthenticationCredentialsNotFoundException("CONNECT needs an 'Authorization: Bearer <token>' header.");
            }
            Authenticated caller = authenticator.authenticate(header.substring(BEARER.length()).strip());
            sessions.open(CurrentUser.of(caller.authentication()).id(), accessor.getSessionId());
            expiry.connected(accessor.getSessionId(), accessor.getSessionAttributes(), caller.expiresAt());
            accessor.setUser(caller.authentication());
        } else if ((StompCommand.SEND.equals(accessor.getCommand()) || StompCommand.SUBSCRIBE.equals(accessor.getCommand()))
                && accessor.getUser() != null && expiry.expired(accessor.getSessionAttributes())) {
            // The timer closes the session at exp; this holds even if it runs late. A frame of a
            // session that never connected has no user, and Spring security refuses it as such.
            throw new CredentialsExpiredException("The session's token has expired.");
        }
        return message;
    }
}
