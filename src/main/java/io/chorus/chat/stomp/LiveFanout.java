package io.chorus.chat.stomp;

import io.chorus.chat.LiveDelivery;
import io.chorus.chat.internal.MemberStore;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.user.SimpSession;
import org.springframework.messaging.simp.user.SimpUser;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.MimeTypeUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers live events to every session of the users concerned. Events leave only after the
 * change commits (a client never sees what could still roll back), the payload is serialised
 * once however many members there are, and users with no open session are skipped: they
 * catch up by seq when they return.
 *
 * <p>A conversation's events leave in the order they were published, not in the order their
 * transactions happen to finish committing: the listener runs synchronously inside the
 * publishing transaction, which still holds the conversation's row lock, and takes the event's
 * place in {@link DeliveryOrder} there.
 */
@Component
class LiveFanout {

    static final String EVENTS = "/queue/events";

    private final SimpMessagingTemplate template;
    private final SimpUserRegistry users;
    private final MemberStore members;
    private final JsonMapper json;
    private final ChatMetrics metrics;
    private final DeliveryOrder order = new DeliveryOrder();

    LiveFanout(SimpMessagingTemplate template, SimpUserRegistry users, MemberStore members, JsonMapper json,
            ChatMetrics metrics) {
        this.template = template;
        this.users = users;
        this.members = members;
        this.json = json;
        this.metrics = metrics;
    }

    /**
     * A plain (synchronous, not transactional) listener: live events are ephemeral, so they stay
     * out of the event publication registry, and the slot must be taken before the lock is released.
     */
    @EventListener
    void published(LiveDelivery delivery) {
        DeliveryOrder.Slot slot = delivery.conversationId() == null ? null : order.reserve(delivery.conversationId());
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            try {
                deliver(slot, delivery);
            } finally {
                if (slot != null) {
                    slot.drop();
                }
            }
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                deliver(slot, delivery);
            }

            @Override
            public void afterCompletion(int status) {
                // A rollback, or a commit whose delivery failed before filling the slot: the events
                // behind it must not wait for it.
                if (slot != null) {
                    slot.drop();
                }
            }
        });
    }

    private void deliver(DeliveryOrder.Slot slot, LiveDelivery delivery) {
        // Recipients and payload are worked out on the committing thread, so the deliveries of
        // one conversation, which run one after another, are only the sends themselves.
        Set<UUID> recipients = new LinkedHashSet<>();
        if (delivery.toMembers()) {
            recipients.addAll(members.recipients(delivery.conversationId()));
        }
        recipients.addAll(delivery.users());
        metrics.fannedOut(recipients.size());
        byte[] payload = json.writeValueAsBytes(delivery.event());
        if (slot == null) {
            send(recipients, payload);
        } else {
            slot.fill(() -> send(recipients, payload));
        }
    }

    private void send(Collection<UUID> userIds, byte[] payload) {
        for (UUID userId : userIds) {
            String name = userId.toString();
            SimpUser user = users.getUser(name);
            if (user == null) {
                continue;
            }
            // One message per session: with receive order preserved, Spring (7.0) passes a message
            // for a user destination through a per-session ordered channel, and a single message
            // addressed to several sessions reaches only the first (its headers are sealed after
            // the first send). A second device would silently miss every event. Each is addressed
            // by the session id, not the user name: named by the user, a session that closed
            // meanwhile resolves to all the user's other sessions, which would get the event twice.
            for (SimpSession session : user.getSessions()) {
                SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
                headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
                headers.setSessionId(session.getId());
                headers.setLeaveMutable(true);
                template.send("/user/" + session.getId() + EVENTS,
                        MessageBuilder.createMessage(payload, headers.getMessageHeaders()));
            }
        }
    }
}
