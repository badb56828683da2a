package io.chorus.chat.stomp;

import io.chorus.chat.internal.ChatProperties;
import io.chorus.chat.internal.MemberStore;
import io.chorus.chat.internal.OnlineSessions;
import io.chorus.identity.UserId;
import io.chorus.platform.ScheduledJobs;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeTypeUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every node must hear: live events for users whose sessions may be on any node, orders to
 * close a user's sessions, who is online where ({@link OnlineSessions}), and which conversations'
 * members changed (each node caches members for fan-out, {@link MemberStore#recipients}). Each node acts only on the sessions it holds itself, which it always
 * knows exactly ({@link SessionCap}).
 *
 * <p>With the in-memory broker there is one node and it hears itself at once. With the broker
 * relay each event is published once to {@link #TOPIC}, which every node's own ("system")
 * connection to the broker subscribes to ({@link RelayWiring}). Why not Spring's user
 * destinations across nodes: they find a user's sessions through the user registry the nodes
 * exchange every few seconds, so a session opened on another node moments ago would miss events
 * committed meanwhile, and a member of a large group who is offline would still cost a broker
 * message each. Here one broker message carries an event to every node, whatever the group size.
 *
 * <p>One node's events reach the broker in the order it publishes them (one connection), and the
 * broker hands them to each node in that order, so {@link LiveFanout}'s per-conversation order
 * holds across nodes for events published by the same node.
 */
@Component
class NodeBus implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(NodeBus.class);

    static final String TOPIC = "/topic/chorus.nodes";
    /** The STOMP header telling what a bus message asks of the nodes. */
    static final String KIND = "chorus-kind";
    private static final String EVENTS = "events";
    private static final String CLOSE = "close";
    private static final String PRESENCE = "presence";
    private static final String ROSTER = "roster";
    private static final String MEMBERS = "members";

    /** This node, for the others: a new one at every start. */
    private final UUID node = UUID.randomUUID();
    private final String nodeId = node.toString();
    private final boolean relayed;
    private final Duration rosterInterval;
    private final SimpMessagingTemplate template;
    private final SessionCap sessions;
    private final StompErrorFrames errors;
    private final OnlineSessions online;
    private final MemberStore members;
    private final ScheduledJobs jobs;
    private final JsonMapper json;
    private final Clock clock;

    NodeBus(ChatProperties properties, SimpMessagingTemplate template, SessionCap sessions, StompErrorFrames errors,
            OnlineSessions online, MemberStore members, ScheduledJobs jobs, JsonMapper json, Clock clock) {
        this.relayed = properties.broker().relayed();
        this.rosterInterval = properties.broker().relay().rosterInterval();
        this.template = template;
        this.sessions = sessions;
        this.errors = errors;
        this.online = online;
        this.members = members;
        this.jobs = jobs;
        this.json = json;
        this.clock = clock;
    }

    /** Sends a serialised live event to every session of {@code users}, on whichever node it is. */
    void publishEvents(Collection<UUID> users, byte[] payload) {
        if (users.isEmpty()) {
            return;
        }
        if (!relayed) {
            deliverHere(users, payload);
            return;
        }
        // 16 bytes per recipient, then the event as it will be sent: compact for groups of thousands.
        ByteBuffer body = ByteBuffer.allocate(4 + 16 * users.size() + payload.length);
        writeUsers(body, users);
        body.put(payload);
        publish(EVENTS, body.array());
    }

    /** Tells the other nodes that a user's first session opened, or last closed, here. */
    @EventListener
    void on(OnlineSessions.LocalTransition transition) {
        if (relayed) {
            ByteBuffer body = ByteBuffer.allocate(33);
            writeUuid(writeUuid(body, node), transition.user()).put((byte) (transition.online() ? 1 : 0));
            publishQuietly(PRESENCE, body.array());
        }
    }

    /**
     * Tells the other nodes to drop their cached members of a conversation whose members changed
     * here; it leaves before the change's own live events, on the same connection.
     */
    @EventListener
    void on(MemberStore.MembersChanged changed) {
        if (relayed) {
            ByteBuffer body = ByteBuffer.allocate(32);
            writeUuid(writeUuid(body, node), changed.conversationId());
            publishQuietly(MEMBERS, body.array());
        }
    }

    /**
     * Every node, every {@code roster-interval}: tells the others all users with a session here,
     * and forgets nodes silent for three intervals (stopped, or died without a word).
     */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        if (relayed) {
            jobs.onEveryNode(tasks, "chat.node-roster", Duration.ZERO, rosterInterval, this::sendRoster);
        }
    }

    private void sendRoster() {
        Set<UUID> users = online.localUsers();
        ByteBuffer body = ByteBuffer.allocate(16 + 4 + 16 * users.size());
        writeUuid(body, node);
        writeUsers(body, users);
        publishQuietly(ROSTER, body.array());
        Set<UUID> orphaned = online.forgetNodesSilentSince(clock.instant().minus(rosterInterval.multipliedBy(3)));
        // One node tells the peers of those who left with a silent node: the smallest id still heard from.
        if (!orphaned.isEmpty() && online.otherNodes().stream().allMatch(other -> nodeId.compareTo(other) < 0)) {
            online.announceOffline(orphaned);
        }
    }

    private static ByteBuffer writeUuid(ByteBuffer body, UUID id) {
        return body.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
    }

    private static void writeUsers(ByteBuffer body, Collection<UUID> users) {
        body.putInt(users.size());
        users.forEach(user -> writeUuid(body, user));
    }

    private static Set<UUID> readUsers(ByteBuffer body) {
        int count = body.getInt();
        Set<UUID> users = new LinkedHashSet<>(count * 2);
        for (int i = 0; i < count; i++) {
            users.add(new UUID(body.getLong(), body.getLong()));
        }
        return users;
    }

    /** Ends every session of {@code user} with {@code error}, on whichever node it is. */
    void publishClose(UUID user, StompError error) {
        if (!relayed) {
            closeHere(user, error);
            return;
        }
        byte[] errorJson = json.writeValueAsBytes(error);
        ByteBuffer body = ByteBuffer.allocate(16 + errorJson.length);
        writeUuid(body, user).put(errorJson);
        publishQuietly(CLOSE, body.array());
    }

    /**
     * For news the nodes can do without for a while: without the broker it is dropped, never
     * thrown into the session events that caused it (the listeners after this one, the session
     * cap and the audit among them, must still run). The {@code broker} health component and its
     * log line report the outage; rosters heal presence and the members cache expires on its own
     * once it is back; sessions are closed by the outage itself.
     */
    private void publishQuietly(String kind, byte[] body) {
        try {
            publish(kind, body);
        } catch (MessagingException brokerAway) {
            log.debug("Node bus message '{}' dropped: {}", kind, brokerAway.getMessage());
        }
    }

    private void publish(String kind, byte[] body) {
        SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
        headers.setNativeHeader(KIND, kind);
        headers.setContentType(MimeTypeUtils.APPLICATION_OCTET_STREAM);
        headers.setLeaveMutable(true);
        template.send(TOPIC, MessageBuilder.createMessage(body, headers.getMessageHeaders()));
    }

    /** What this node does with a bus message the broker hands it (relay only). */
    MessageHandler receiver() {
        return this::received;
    }

    private void received(Message<?> message) {
        SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.wrap(message);
        ByteBuffer body = ByteBuffer.wrap((byte[]) message.getPayload());
        switch (String.valueOf(headers.getFirstNativeHeader(KIND))) {
            case EVENTS -> {
                Set<UUID> users = readUsers(body);
                byte[] payload = new byte[body.remaining()];
                body.get(payload);
                deliverHere(users, payload);
            }
            case CLOSE -> {
                UUID user = new UUID(body.getLong(), body.getLong());
                byte[] error = new byte[body.remaining()];
                body.get(error);
                closeHere(user, json.readValue(error, StompError.class));
            }
            case PRESENCE -> {
                String node = new UUID(body.getLong(), body.getLong()).toString();
                UUID user = new UUID(body.getLong(), body.getLong());
                if (!node.equals(nodeId)) {
                    online.transitionOn(node, user, body.get() == 1, clock.instant());
                }
            }
            case ROSTER -> {
                String node = new UUID(body.getLong(), body.getLong()).toString();
                if (!node.equals(nodeId)) {
                    online.rosterOf(node, readUsers(body), clock.instant());
                }
            }
            case MEMBERS -> {
                String node = new UUID(body.getLong(), body.getLong()).toString();
                if (!node.equals(nodeId)) {
                    members.forgetCached(new UUID(body.getLong(), body.getLong()));
                }
            }
            default -> {
                // A newer node's message this one does not know: nothing it could do with it.
            }
        }
    }

    private void deliverHere(Collection<UUID> users, byte[] payload) {
        for (UUID userId : users) {
            // One message per session: with receive order preserved, Spring (7.0) passes a message
            // for a user destination through a per-session ordered channel, and a single message
            // addressed to several sessions reaches only the first (its headers are sealed after
            // the first send). A second device would silently miss every event. Each is addressed
            // by the session id, not the user name: named by the user, a session that closed
            // meanwhile resolves to all the user's other sessions, which would get the event twice.
            for (String session : sessions.sessionsOf(new UserId(userId))) {
                SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
                headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
                headers.setSessionId(session);
                headers.setLeaveMutable(true);
                template.send("/user/" + session + LiveFanout.EVENTS,
                        MessageBuilder.createMessage(payload, headers.getMessageHeaders()));
            }
        }
    }

    private void closeHere(UUID user, StompError error) {
        sessions.sessionsOf(new UserId(user)).forEach(session -> errors.close(session, error));
    }
}
