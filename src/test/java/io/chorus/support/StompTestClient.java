package io.chorus.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real STOMP-over-WebSocket client, as a front end would use it: CONNECT with a bearer
 * token, subscribe to the user's own queues, SEND frames. Everything received is queued for
 * the test to await.
 */
public final class StompTestClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);
    /** How long to wait when asserting that nothing arrives. */
    public static final Duration QUIET = Duration.ofMillis(700);

    private final WebSocketStompClient client;
    private final JsonMapper json;
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<JsonNode> acks = new LinkedBlockingQueue<>();
    private final BlockingQueue<JsonNode> errors = new LinkedBlockingQueue<>();
    /** ERROR frames: the {@code message} header and the JSON body. */
    private final BlockingQueue<ErrorFrame> errorFrames = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private StompSession session;

    public record ErrorFrame(String message, JsonNode body) {
    }

    private StompTestClient(JsonMapper json) {
        this.json = json;
        this.client = new WebSocketStompClient(new StandardWebSocketClient());
        this.client.setMessageConverter(new JacksonJsonMessageConverter(json));
        this.client.setInboundMessageSizeLimit(1024 * 1024);
        ThreadPoolTaskScheduler receipts = new ThreadPoolTaskScheduler();
        receipts.setDaemon(true);
        receipts.setThreadNamePrefix("stomp-test-client-");
        receipts.initialize();
        this.client.setTaskScheduler(receipts);
    }

    /** Connects and subscribes to events, acks and errors; fails the test if CONNECT is refused. */
    public static StompTestClient connect(String url, String token, JsonMapper json) {
        StompTestClient stomp = new StompTestClient(json);
        stomp.open(url, token, new WebSocketHttpHeaders());
        stomp.subscribe("/user/queue/events", stomp.events);
        stomp.subscribe("/user/queue/acks", stomp.acks);
        stomp.subscribe("/user/queue/errors", stomp.errors);
        return stomp;
    }

    /**
     * Tries to connect and returns the ERROR frame the server answered with; fails the test if
     * the server accepted the connection.
     */
    public static ErrorFrame connectExpectingRefusal(String url, StompHeaders connectHeaders, JsonMapper json) {
        StompTestClient stomp = new StompTestClient(json);
        CompletableFuture<StompSession> connecting = stomp.client.connectAsync(url, new WebSocketHttpHeaders(),
                connectHeaders, stomp.handler());
        try {
            StompSession accepted = connecting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            accepted.disconnect();
            throw new AssertionError("CONNECT was accepted but should have been refused");
        } catch (ExecutionException | TimeoutException refused) {
            return stomp.awaitErrorFrame();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError(interrupted);
        } finally {
            stomp.client.stop();
        }
    }

    /** Opens a session without subscribing to anything (for tests of subscription rules). */
    public static StompTestClient connectOnly(String url, String token, JsonMapper json) {
        StompTestClient stomp = new StompTestClient(json);
        stomp.open(url, token, new WebSocketHttpHeaders());
        return stomp;
    }

    /** Opens the WebSocket with extra handshake headers (an Origin, say); the future fails if refused. */
    public static CompletableFuture<StompSession> handshake(String url, String token, WebSocketHttpHeaders handshakeHeaders,
            JsonMapper json) {
        StompTestClient stomp = new StompTestClient(json);
        StompHeaders connect = new StompHeaders();
        connect.add("Authorization", "Bearer " + token);
        return stomp.client.connectAsync(url, handshakeHeaders, connect, stomp.handler());
    }

    private void open(String url, String token, WebSocketHttpHeaders handshakeHeaders) {
        StompHeaders connect = new StompHeaders();
        connect.add("Authorization", "Bearer " + token);
        try {
            session = client.connectAsync(url, handshakeHeaders, connect, handler())
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception failed) {
            throw new AssertionError("STOMP CONNECT failed: " + errorFrames.peek(), failed);
        }
    }

    private StompSessionHandlerAdapter handler() {
        return new StompSessionHandlerAdapter() {
            @Override
            public Type getPayloadType(StompHeaders headers) {
                return JsonNode.class;
            }

            @Override
            public void handleFrame(StompHeaders headers, Object payload) {
                // Only ERROR frames arrive here; subscriptions have their own handlers.
                errorFrames.add(new ErrorFrame(headers.getFirst("message"), (JsonNode) payload));
            }

            @Override
            public void handleTransportError(StompSession session, Throwable exception) {
                closed.countDown();
            }
        };
    }

    /** Subscribes and waits for the server's receipt, so nothing sent afterwards can be missed. */
    public StompSession.Subscription subscribe(String destination, BlockingQueue<JsonNode> into) {
        StompHeaders headers = new StompHeaders();
        headers.setDestination(destination);
        headers.setReceipt("sub-" + destination);
        CountDownLatch receipted = new CountDownLatch(1);
        StompSession.Subscription subscription = session.subscribe(headers, new StompFrameHandler() {
            @Override
            public Type getPayloadType(StompHeaders frameHeaders) {
                return JsonNode.class;
            }

            @Override
            public void handleFrame(StompHeaders frameHeaders, Object payload) {
                into.add((JsonNode) payload);
            }
        });
        subscription.addReceiptTask(receipted::countDown);
        try {
            assertThat(receipted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("receipt for SUBSCRIBE %s (errors: %s)", destination, errorFrames).isTrue();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError(interrupted);
        }
        return subscription;
    }

    /** SENDs with a {@code receipt} header and waits for the RECEIPT that confirms the frame was handled. */
    public void sendWithReceipt(String destination, Object body) {
        StompHeaders headers = new StompHeaders();
        headers.setDestination(destination);
        headers.setContentType(org.springframework.util.MimeTypeUtils.APPLICATION_JSON);
        headers.setReceipt("receipt-" + java.util.UUID.randomUUID());
        CompletableFuture<Void> receipted = new CompletableFuture<>();
        session().send(headers, body).addReceiptTask(() -> receipted.complete(null));
        try {
            receipted.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception noReceipt) {
            throw new AssertionError("No RECEIPT for " + destination + "; errors: " + drainErrors(), noReceipt);
        }
    }

    /** SENDs {@code body} (serialised as JSON) to {@code destination}. */
    public void send(String destination, Object body) {
        StompHeaders headers = new StompHeaders();
        headers.setDestination(destination);
        headers.setContentType(org.springframework.util.MimeTypeUtils.APPLICATION_JSON);
        session.send(headers, body);
    }

    /** Sends a chat message over STOMP. */
    public void sendMessage(Object conversationId, String clientMessageId, String text) {
        send("/app/conversations/" + conversationId + "/messages",
                Map.of("clientMessageId", clientMessageId, "text", text));
    }

    public JsonNode awaitEvent(Predicate<JsonNode> matching) {
        return await(events, matching, "event");
    }

    public JsonNode awaitEvent(String type) {
        return awaitEvent(event -> type.equals(event.path("type").asString()));
    }

    public JsonNode awaitAck() {
        return await(acks, any -> true, "ack");
    }

    public JsonNode awaitError() {
        return await(errors, any -> true, "error event");
    }

    /**
     * The next ack or error event, whichever comes first: every SEND to a message destination
     * is answered by exactly one of them. An ack carries {@code messageId}, an error {@code code}.
     */
    public JsonNode awaitAckOrError() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                JsonNode answer = acks.poll();
                if (answer == null) {
                    answer = errors.poll(20, TimeUnit.MILLISECONDS);
                }
                if (answer != null) {
                    return answer;
                }
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError(interrupted);
        }
        throw new AssertionError("Neither an ack nor an error event within " + WAIT);
    }

    public ErrorFrame awaitErrorFrame() {
        try {
            ErrorFrame frame = errorFrames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(frame).as("an ERROR frame").isNotNull();
            return frame;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError(interrupted);
        }
    }

    /** Collects whatever events arrive during {@link #QUIET}. */
    public List<JsonNode> drainEvents() {
        return drain(events);
    }

    public List<JsonNode> drainAcks() {
        return drain(acks);
    }

    public List<JsonNode> drainErrors() {
        return drain(errors);
    }

    public boolean isConnected() {
        return session != null && session.isConnected();
    }

    /** True once the server has closed the connection (for example after an ERROR frame). */
    public boolean awaitClosed() {
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!isConnected()) {
                    return true;
                }
                Thread.sleep(50);
            }
            return false;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError(interrupted);
        }
    }

    public StompSession session() {
        return session;
    }

    public BlockingQueue<JsonNode> events() {
        return events;
    }

    private static JsonNode await(BlockingQueue<JsonNode> queue, Predicate<JsonNode> matching, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<JsonNode> skipped = new ArrayList<>();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                if (next == null) {
                    throw new AssertionError("No matching " + what + " within " + WAIT + "; other " + what
                            + "s received: " + skipped);
                }
                if (matching.test(next)) {
                    return next;
                }
                skipped.add(next);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError(interrupted);
        }
    }

    private static List<JsonNode> drain(BlockingQueue<JsonNode> queue) {
        List<JsonNode> drained = new ArrayList<>();
        try {
            Thread.sleep(QUIET.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        queue.drainTo(drained);
        return drained;
    }

    @Override
    public void close() {
        if (session != null && session.isConnected()) {
            try {
                session.disconnect();
            } catch (org.springframework.messaging.MessageDeliveryException alreadyClosed) {
                // The server closed the connection (after an ERROR frame) between the check and the DISCONNECT.
            }
        }
        client.stop();
    }
}
