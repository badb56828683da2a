package io.chorus.chat.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

@Validated
@ConfigurationProperties("chorus.chat")
public record ChatProperties(
        /** How long an author may recall their own message; owners and admins may always. */
        @DefaultValue("2m") Duration recallWindow,
        /** The most members a group may have. */
        @Min(2) @DefaultValue("5000") int maxGroupSize,
        /** The largest page of messages one request returns. */
        @Min(1) @Max(500) @DefaultValue("100") int maxPageSize,
        @Valid @DefaultValue Stomp stomp,
        @Valid @DefaultValue SendBudget sendBudget,
        @Valid @DefaultValue Overload overload,
        @Valid @DefaultValue DepartmentGroups departmentGroups,
        @Valid @DefaultValue Retention retention,
        @Valid @DefaultValue MemberCache memberCache,
        @Valid @DefaultValue Broker broker) {

    /**
     * Where live events travel between sessions. One node needs nothing: Spring's in-memory
     * broker. Several nodes share an external STOMP broker (ActiveMQ Artemis is the documented
     * one) through Spring's broker relay; see docs/operations.md#several-nodes.
     */
    public record Broker(@Valid @DefaultValue Relay relay) {

        /** Whether this node relays STOMP to the external broker instead of using the in-memory one. */
        public boolean relayed() {
            return relay.enabled();
        }
    }

    public record Relay(
            /** Off: one node with the in-memory broker. On: every node relays to the broker below. */
            @DefaultValue("false") boolean enabled,
            @NotEmpty @DefaultValue("localhost") String host,
            @Min(1) @Max(65535) @DefaultValue("61613") int port,
            /** The broker account all of this node's connections log in with; empty when the broker needs none. */
            @DefaultValue("") String login,
            @DefaultValue("") String passcode,
            /** The STOMP {@code host} header, for brokers with virtual hosts (RabbitMQ); empty sends none. */
            @DefaultValue("") String virtualHost,
            /**
             * How often each node tells the others all users with a session on it. Comings and
             * goings travel at once; this roster heals what a lost message or a dead node left
             * behind, and a node silent for three intervals is taken for gone.
             */
            @DefaultValue("5s") Duration rosterInterval,
            /** Heart-beats on each node's own ("system") connection to the broker, both ways. */
            @DefaultValue("10s") Duration systemHeartbeat) {

        @Override
        public String toString() {
            // The passcode is a secret: never in a log line or an error message that prints the settings.
            return "Relay[enabled=" + enabled + ", host=" + host + ", port=" + port + ", login=" + login
                    + ", virtualHost=" + virtualHost + "]";
        }
    }

    public record MemberCache(
            /** Conversations whose member lists live fan-out keeps in memory. */
            @Min(1) @DefaultValue("20000") int maxConversations,
            /**
             * How long a cached member list is trusted at most. Changes made on this node invalidate
             * it at once; the bound matters only for changes made on another node.
             */
            @DefaultValue("30s") Duration timeToLive) {
    }

    public record Retention(
            /** Whether this node purges expired messages on a schedule; nodes never purge the same rows twice. */
            @DefaultValue("true") boolean scheduled,
            /** The pause between purge runs, and before the first one after start-up. */
            @DefaultValue("1h") Duration purgeInterval,
            /** Messages erased per batch; each batch is its own transaction. */
            @Min(1) @Max(100000) @DefaultValue("1000") int purgeBatchSize) {
    }

    public record DepartmentGroups(
            /** Give every department a group as soon as it exists, instead of when an org_admin asks. */
            @DefaultValue("false") boolean createForEveryDepartment,
            /** Whether those automatic groups also take in the members of sub-departments. */
            @DefaultValue("false") boolean includeSubDepartments) {
    }

    public record Stomp(
            /** Browser origins allowed to open /ws (patterns); clients without an Origin header are not browsers and pass. */
            @NotEmpty @DefaultValue({"http://localhost:[*]", "http://127.0.0.1:[*]"}) List<String> allowedOrigins,
            /** The largest inbound STOMP frame, in bytes. */
            @Min(1024) @DefaultValue("65536") int maxFrameBytes,
            /** STOMP heart-beat interval in both directions. */
            @DefaultValue("10s") Duration heartbeat,
            /**
             * The size of each per-connection buffer (socket read and write, WebSocket message
             * assembly). Larger frames are read in parts; smaller buffers make idle sessions cheap.
             */
            @Min(512) @DefaultValue("512") int sessionBufferBytes,
            /** Open sessions one user may have on this node; the next CONNECT is refused with TOO_MANY_SESSIONS. */
            @Min(1) @DefaultValue("10") int maxSessionsPerUser,
            /**
             * How long writing one frame to a client may take. A client that stops reading is
             * disconnected after this, so it never holds up what other sessions receive.
             */
            @DefaultValue("15s") Duration sendTimeLimit,
            /** Bytes queued for one client while a write to it is in progress; more disconnects it. */
            @Min(1024) @DefaultValue("1048576") int sendBufferBytes,
            /**
             * On stop, how long the frames already taken in may still be handled after every
             * session was told to reconnect elsewhere. Keep the pod's termination grace above it.
             */
            @DefaultValue("10s") Duration stopGrace) {
    }

    /**
     * One budget per user for everything they send: STOMP SEND frames of all their sessions and
     * REST message sends together. Kept in this node's memory: with several nodes a user's budget
     * is per node (a shared store is for the issue that brings several nodes).
     */
    public record SendBudget(
            /** Sends a user may make per {@code period}, sustained ... */
            @Min(1) @DefaultValue("20") int rate,
            @DefaultValue("1s") Duration period,
            /** ... and in one burst. */
            @Min(1) @DefaultValue("40") int burst) {
    }

    /**
     * Past capacity a message send is refused at once with OVERLOADED (503, retryable with the same
     * clientMessageId) instead of waiting in a queue and being acknowledged late.
     */
    public record Overload(
            /** A STOMP message SEND that waited longer than this to be handled is refused. */
            @DefaultValue("500ms") Duration maxQueueWait,
            /** Message sends (STOMP and REST) being stored at once on this node; bounded below the database pool. */
            @Min(1) @DefaultValue("8") int maxConcurrentSends,
            /** How long a send waits for one of those slots before it is refused. */
            @DefaultValue("100ms") Duration slotWait,
            /** The retry hint of a refusal (Retry-After, retryAfterMs). */
            @DefaultValue("1s") Duration retryAfter,
            /** Threads that handle inbound STOMP frames. */
            @Min(1) @DefaultValue("8") int inboundThreads,
            /**
             * Frames waiting for those threads. A full queue makes the connection's own thread handle
             * its frame, which slows that connection's reading rather than dropping a frame.
             */
            @Min(1) @DefaultValue("10000") int inboundQueueCapacity) {
    }
}
