package io.chorus.chat.stomp;

import io.chorus.platform.ProblemCodes;
import io.chorus.platform.ProblemDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * {@code /ws} is an HTTP address like any other: a request that is no WebSocket upgrade gets a
 * problem document with a stable code, not Spring's plain-text sentence or an empty 405.
 */
final class HandshakeRefusals extends DefaultHandshakeHandler implements HandshakeInterceptor {

    /** Runs before the handshake itself, which would answer any other method with an empty 405. */
    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) {
        if (request.getMethod() != HttpMethod.GET) {
            response.getHeaders().setAllow(Set.of(HttpMethod.GET));
            refuse(response, HttpStatus.METHOD_NOT_ALLOWED, ProblemCodes.METHOD_NOT_ALLOWED,
                    "A WebSocket connection starts with GET.");
            return false;
        }
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Exception failure) {
    }

    @Override
    protected void handleInvalidUpgradeHeader(ServerHttpRequest request, ServerHttpResponse response) {
        refuse(response, HttpStatus.BAD_REQUEST, ProblemCodes.MALFORMED_REQUEST,
                "Only a WebSocket upgrade is accepted here.");
    }

    @Override
    protected void handleInvalidConnectHeader(ServerHttpRequest request, ServerHttpResponse response) {
        refuse(response, HttpStatus.BAD_REQUEST, ProblemCodes.MALFORMED_REQUEST,
                "Only a WebSocket upgrade is accepted here.");
    }

    @Override
    protected void handleWebSocketVersionNotSupported(ServerHttpRequest request, ServerHttpResponse response) {
        super.handleWebSocketVersionNotSupported(request, response);
        refuse(response, HttpStatus.UPGRADE_REQUIRED, ProblemCodes.MALFORMED_REQUEST,
                "This WebSocket version is not supported; see Sec-WebSocket-Version.");
    }

    private static void refuse(ServerHttpResponse response, HttpStatus status, String code, String detail) {
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        try {
            response.getBody().write(ProblemDocument.json(status.value(), code, detail).getBytes(StandardCharsets.UTF_8));
        } catch (IOException gone) {
            throw new UncheckedIOException(gone);
        }
    }
}
