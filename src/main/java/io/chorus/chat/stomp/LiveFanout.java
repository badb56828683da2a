package io.chorus.chat.stomp;

import io.chorus.chat.LiveDelivery;
import io.chorus.chat.internal.MemberStore;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers live events to every session of the users concerned. Events leave only after the
 * change commits (a client never sees what could still roll back), the payload is serialised
 * once however many members there are, and users with no open session are skipped: they
 * catch up by seq when they return. {@link NodeBus} takes each event to the nodes that hold the
 * recipients' sessions.
 *
 * <p>A conversation's events leave in the order they were published, not in the order their
 * transactions happen to finish committing: the listener runs synchronously inside the
 * publishing transaction, which still holds the conversation's row lock, and takes the event's
 * place in {@link DeliveryOrder} there.
 */
@Component
class LiveFanout {

    static final String EVENTS = "/queue/events";

    private final NodeBus bus;
    private final MemberStore members;
    private final JsonMapper json;
    private final ChatMetrics metrics;
    private final DeliveryOrder order = new DeliveryOrder();

    LiveFanout(NodeBus bus, MemberStore members, JsonMapper json, ChatMetrics metrics) {
        this.bus = bus;
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
        bus.publishEvents(userIds, payload);
    }
}
