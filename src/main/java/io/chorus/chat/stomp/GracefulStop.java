package io.chorus.chat.stomp;

import io.chorus.chat.ChatProblems;
import io.chorus.chat.internal.ChatProperties;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.ExecutorSubscribableChannel;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Stopping a node (SIGTERM in a rolling update) without losing anything live. As soon as the
 * application context starts closing, before the web server and the broker connections stop:
 * new CONNECTs are refused with SERVER_STOPPING; every open session gets an ERROR frame
 * SERVER_STOPPING with a retry hint of zero (reconnect now: the load balancer sends the client
 * to another node) and is closed; then the frames already taken in are handled, for at most
 * {@code chorus.chat.stomp.stop-grace}, before the database pool closes. A send whose receipt
 * did not reach the client is sent again by it with the same clientMessageId to the next node,
 * which stores it once.
 */
@Component
class GracefulStop implements ChannelInterceptor {

    private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);
    static final StompError STOPPING = new StompError(ChatProblems.SERVER_STOPPING, 503,
            "This Chorus node is stopping. Reconnect now (you will reach another node) and catch up by seq; "
                    + "send again, with the same clientMessageId, any message whose receipt you did not get.",
            null, null, 0L);

    private final SessionCap sessions;
    private final StompErrorFrames errors;
    private final ObjectProvider<MessageChannel> inbound;
    private final Duration grace;
    private volatile boolean stopping;

    GracefulStop(SessionCap sessions, StompErrorFrames errors,
            @Qualifier("clientInboundChannel") ObjectProvider<MessageChannel> inbound, ChatProperties properties) {
        this.sessions = sessions;
        this.errors = errors;
        this.inbound = inbound;
        this.grace = properties.stomp().stopGrace();
    }

    /** Published before any bean stops: the web server, the broker relay and the pool still work. */
    @EventListener
    void on(ContextClosedEvent closing) {
        if (stopping) {
            return;
        }
        stopping = true;
        Set<String> open = sessions.sessions();
        open.forEach(session -> errors.close(session, STOPPING));
        boolean drained = awaitInboundFrames();
        // A CONNECT already past the refusal when stopping began opened its session meanwhile.
        Set<String> late = new HashSet<>(sessions.sessions());
        late.removeAll(open);
        late.forEach(session -> errors.close(session, STOPPING));
        log.info("Stopping: told {} live session(s) to reconnect elsewhere; inbound frames {}",
                open.size() + late.size(), drained ? "all handled" : "not all handled within " + grace);
    }

    /** Refuses CONNECT once stopping: the client should go to a node that stays. */
    @Override
    public Message<?> preSend(Message<?> message, MessageChannel channel) {
        if (stopping) {
            StompCommand command = StompHeaderAccessor.getCommand(message.getHeaders());
            if (command == StompCommand.CONNECT || command == StompCommand.STOMP) {
                throw new Stopping();
            }
        }
        return message;
    }

    private boolean awaitInboundFrames() {
        if (!(inbound.getIfAvailable() instanceof ExecutorSubscribableChannel channel)
                || !(channel.getExecutor() instanceof ThreadPoolTaskExecutor executor)) {
            return true;
        }
        ThreadPoolExecutor pool = executor.getThreadPoolExecutor();
        long deadline = System.nanoTime() + grace.toNanos();
        while (pool.getActiveCount() > 0 || !pool.getQueue().isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Answered by {@link StompErrorFrames} with the ERROR frame {@link #STOPPING}. */
    static final class Stopping extends RuntimeException {

        Stopping() {
            super("stopping", null, false, false);
        }
    }
}
