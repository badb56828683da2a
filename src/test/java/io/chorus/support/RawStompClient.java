package io.chorus.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WebSocket that speaks STOMP by hand: the test writes each frame as text, so it can send
 * what no well-behaved client library would (a SEND before CONNECT, an oversized frame, a
 * SUBSCRIBE to someone else's queue), and sees every frame the server answers with and
 * whether the server closed the connection.
 */
public final class RawStompClient implements AutoCloseable {

    private static final Duration SETTLE = Duration.ofMillis(100);

    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    private final JsonMapper json;
    private WebSocketSession session;

    /** A frame from the server: command, headers (first value of each) and body text. */
    public record Frame(String command, Map<String, String> headers, String body, JsonMapper mapper) {

        public String header(String name) {
            return headers.get(name);
        }

        public JsonNode json() {
            return body.isEmpty() ? mapper.nullNode() : mapper.readTree(body);
        }

        @Override
        public String toString() {
            return command + " " + headers + " " + body;
        }
    }

    private RawStompClient(JsonMapper json) {
        this.json = json;
    }

    /** Opens the WebSocket (no STOMP frame sent yet); fails the test if the handshake is refused. */
    static RawStompClient open(String url, WebSocketHttpHeaders handshakeHeaders, JsonMapper json) {
        RawStompClient raw = new RawStompClient(json);
        try {
            raw.session = new StandardWebSocketClient()
                    .execute(raw.handler(), handshakeHeaders, URI.create(url))
                    .get(StompTestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            raw.session.setTextMessageSizeLimit(1024 * 1024);
        } catch (Exception failed) {
            throw new AssertionError("WebSocket handshake to " + url + " failed", failed);
        }
        return raw;
    }

    private TextWebSocketHandler handler() {
        return new TextWebSocketHandler() {
            @Override
            protected void handleTextMessage(WebSocketSession session, TextMessage message) {
                parse(message.getPayload());
            }

            @Override
            public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
                closed.complete(status);
            }

            @Override
            public void handleTransportError(WebSocketSession session, Throwable exception) {
                closed.complete(CloseStatus.SERVER_ERROR);
            }
        };
    }

    /** Sends one frame; {@code headers} are written as given, in order, without escaping. */
    public void send(String command, Map<String, String> headers, String body) {
        StringBuilder frame = new StringBuilder(command).append('\n');
        headers.forEach((name, value) -> frame.append(name).append(':').append(value).append('\n'));
        frame.append('\n').append(body == null ? "" : body).append('\0');
        sendText(frame.toString());
    }

    /** Sends text exactly as given (a frame, heart-beats, garbage). */
    public synchronized void sendText(String text) {
        try {
            session.sendMessage(new TextMessage(text));
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    /** CONNECT with {@code Authorization: Bearer <token>} (or no such header when null); returns the answer. */
    public Frame connect(String token) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("accept-version", "1.2");
        headers.put("host", "localhost");
        headers.put("heart-beat", "0,0");
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        send("CONNECT", headers, null);
        return awaitFrame();
    }

    /**
     * CONNECT that must be accepted. Returns only after a short pause: Spring closes the
     * connection right after it queues an ERROR frame, and if the server thread that wrote
     * CONNECTED has not yet let go of the session, the queued ERROR is dropped. A test that
     * provokes a refusal right after connecting would otherwise now and then see the close
     * without the ERROR frame that explains it.
     */
    public RawStompClient connected(String token) {
        Frame answer = connect(token);
        assertThat(answer.command()).as("answer to CONNECT: %s", answer).isEqualTo("CONNECTED");
        return settled();
    }

    /**
     * Returns after the same short pause as {@link #connected}, for the same reason: a test that
     * has the server end the session from its side (an ERROR frame sent by a timer, not in answer
     * to a frame) right after the server wrote to it would now and then lose that ERROR frame.
     */
    public RawStompClient settled() {
        try {
            Thread.sleep(SETTLE.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        return this;
    }

    /** SUBSCRIBE with a receipt request; the answer is the next frame (RECEIPT, or ERROR when refused). */
    public void subscribe(String id, String destination) {
        send("SUBSCRIBE", Map.of("id", id, "destination", destination, "receipt", "r-" + id), null);
    }

    /** SEND a JSON body to {@code destination}. */
    public void sendJson(String destination, String body) {
        send("SEND", Map.of("destination", destination, "content-type", "application/json"), body);
    }

    public Frame awaitFrame() {
        try {
            Frame frame = frames.poll(StompTestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(frame).as("a STOMP frame from the server").isNotNull();
            return frame;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError(interrupted);
        }
    }

    /** The next frame, which must be an ERROR frame. */
    public Frame awaitErrorFrame() {
        Frame frame = awaitFrame();
        assertThat(frame.command()).as("frame: %s", frame).isEqualTo("ERROR");
        return frame;
    }

    /** Whatever frames arrive during {@link StompTestClient#QUIET}. */
    public List<Frame> drainFrames() {
        try {
            Thread.sleep(StompTestClient.QUIET.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        List<Frame> drained = new ArrayList<>();
        frames.drainTo(drained);
        return drained;
    }

    /** Waits for the server to close the connection; fails the test if it stays open. */
    public CloseStatus awaitClosed() {
        try {
            return closed.get(StompTestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception stillOpen) {
            throw new AssertionError("the server did not close the connection", stillOpen);
        }
    }

    public boolean isOpen() {
        return session.isOpen();
    }

    private void parse(String payload) {
        for (String raw : payload.split("\0")) {
            String text = raw.replaceFirst("^[\r\n]+", "");
            if (text.isEmpty()) {
                continue; // heart-beat
            }
            int headerEnd = text.indexOf("\n\n");
            String head = headerEnd < 0 ? text : text.substring(0, headerEnd);
            String body = headerEnd < 0 ? "" : text.substring(headerEnd + 2);
            String[] lines = head.split("\r?\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.putIfAbsent(unescape(lines[i].substring(0, colon)), unescape(lines[i].substring(colon + 1)));
                }
            }
            frames.add(new Frame(lines[0], headers, body, json));
        }
    }

    private static String unescape(String value) {
        return value.replace("\\c", ":").replace("\\n", "\n").replace("\\r", "\r").replace("\\\\", "\\");
    }

    @Override
    public void close() {
        try {
            if (session != null && session.isOpen()) {
                session.close();
            }
        } catch (IOException ignored) {
            // already going away
        }
    }
}
