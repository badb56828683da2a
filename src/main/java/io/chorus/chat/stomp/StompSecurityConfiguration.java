package io.chorus.chat.stomp;

import io.chorus.identity.Role;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.socket.EnableWebSocketSecurity;
import org.springframework.security.messaging.access.intercept.MessageMatcherDelegatingAuthorizationManager;

/**
 * Every STOMP frame is authorized by destination; whatever is not listed here is denied.
 * Clients subscribe only to their own user queues (Spring resolves {@code /user/queue/..} to
 * the caller's sessions, so nobody can name another user's), and SEND only to application
 * destinations, never straight to the broker. Conversation membership is checked by the
 * handlers, with the same rules as REST.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocketSecurity
class StompSecurityConfiguration {

    static final String[] USER_QUEUES = {"/user/queue/events", "/user/queue/acks", "/user/queue/errors"};
    static final String[] APP_DESTINATIONS = {
            "/app/conversations/*/messages", "/app/conversations/*/typing", "/app/conversations/*/read",
            "/app/conversations/*/messages/*/actions/*"};
    /** Any connected caller may keep their session alive, whatever their roles. */
    static final String TOKEN_REFRESH = "/app/token";

    @Bean
    AuthorizationManager<Message<?>> messageAuthorizationManager(
            MessageMatcherDelegatingAuthorizationManager.Builder messages) {
        String employee = Role.EMPLOYEE.authority().substring("ROLE_".length());
        messages
                .simpTypeMatchers(SimpMessageType.CONNECT).authenticated()
                .simpTypeMatchers(SimpMessageType.DISCONNECT, SimpMessageType.HEARTBEAT,
                        SimpMessageType.UNSUBSCRIBE).permitAll()
                .simpSubscribeDestMatchers(USER_QUEUES).hasRole(employee)
                .simpMessageDestMatchers(APP_DESTINATIONS).hasRole(employee)
                .simpMessageDestMatchers(TOKEN_REFRESH).authenticated()
                .anyMessage().denyAll();
        return messages.build();
    }

    /**
     * Replaces Security's CSRF check on CONNECT: clients authenticate with a bearer token, not
     * a cookie, so there is no ambient credential to forge; browsers are held to the allowed
     * origins on the handshake instead.
     */
    @Bean
    ChannelInterceptor csrfChannelInterceptor() {
        return new ChannelInterceptor() {
        };
    }
}
