package io.chorus.chat.stomp;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each conversation's live events in the order they were produced, although the
 * transactions that produce them commit, and so deliver, in whatever order their threads
 * happen to run after releasing the conversation's row lock.
 *
 * <p>A change reserves a slot while it holds the conversation's lock (when its seq is drawn),
 * so the slots of one conversation line up in seq order. After commit the slot is filled with
 * the delivery; after a rollback it is dropped. A conversation's deliveries run from the head
 * of its line as long as the head is filled: a later change that commits first waits, in
 * memory, for the earlier one to commit or roll back, which it does within the lifetime of a
 * transaction (no timeout is needed, and none would be exact). Lines of different
 * conversations share nothing, so an unrelated conversation never waits.
 *
 * <p>Deliveries of one line run one at a time, on the thread of whichever change filled or
 * dropped the slot that unblocked them; that thread returns once the line's head is empty or
 * waiting. A delivery that fails is logged and does not hold up the ones behind it.
 *
 * <p>This is one node's order. With a broker relay and several nodes, the relay keeps the
 * order of each node's connection, not across them: changes to one conversation made on
 * different nodes would need an order of their own.
 */
final class DeliveryOrder {

    private static final Logger log = LoggerFactory.getLogger(DeliveryOrder.class);

    private final Map<UUID, Line> lines = new ConcurrentHashMap<>();

    /** A place in the conversation's line, taken now; call exactly one of fill or drop later. */
    Slot reserve(UUID conversationId) {
        Slot[] reserved = new Slot[1];
        // compute: a line being removed as idle is never handed out again.
        lines.compute(conversationId, (id, line) -> {
            Line open = line == null ? new Line(id) : line;
            reserved[0] = open.append();
            return open;
        });
        return reserved[0];
    }

    /** How many conversations have events reserved or being delivered; none once all are done. */
    int openLines() {
        return lines.size();
    }

    private final class Line {

        private final UUID conversationId;
        private final ArrayDeque<Slot> slots = new ArrayDeque<>();
        private boolean delivering;

        Line(UUID conversationId) {
            this.conversationId = conversationId;
        }

        synchronized Slot append() {
            Slot slot = new Slot(this);
            slots.addLast(slot);
            return slot;
        }

        /** Delivers from the head while it is ready, unless another thread already does. */
        void deliverReady() {
            synchronized (this) {
                if (delivering) {
                    return;
                }
                delivering = true;
            }
            while (true) {
                Runnable delivery;
                synchronized (this) {
                    Slot head = slots.peekFirst();
                    if (head == null || !head.ready) {
                        delivering = false;
                        break;
                    }
                    slots.removeFirst();
                    delivery = head.delivery;
                }
                if (delivery != null) {
                    try {
                        delivery.run();
                    } catch (RuntimeException failed) {
                        log.warn("A live event of conversation {} could not be delivered", conversationId, failed);
                    }
                }
            }
            lines.computeIfPresent(conversationId, (id, line) -> line.idle() ? null : line);
        }

        synchronized boolean idle() {
            return slots.isEmpty() && !delivering;
        }
    }

    /** One change's place in its conversation's line. */
    final class Slot {

        private final Line line;
        private boolean ready;
        private Runnable delivery;

        private Slot(Line line) {
            this.line = line;
        }

        /** The change committed: deliver this in its turn. Ignored after fill or drop. */
        void fill(Runnable delivery) {
            settle(delivery);
        }

        /**
         * The change rolled back: nothing to deliver, and nothing behind it waits any longer.
         * Ignored after fill or drop.
         */
        void drop() {
            settle(null);
        }

        private void settle(Runnable delivery) {
            synchronized (line) {
                if (ready) {
                    return;
                }
                this.delivery = delivery;
                ready = true;
            }
            line.deliverReady();
        }
    }
}
