package io.chorus.chat.stomp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The rule that keeps a conversation's live events in seq order: deliver from the head while it is settled. */
class DeliveryOrderTest {

    private final DeliveryOrder order = new DeliveryOrder();
    private final List<String> delivered = Collections.synchronizedList(new ArrayList<>());
    private final UUID conversation = UUID.randomUUID();

    @Test
    void aChangeThatCommitsFirstWaitsForTheOneThatReservedBeforeIt() {
        DeliveryOrder.Slot seq1 = order.reserve(conversation);
        DeliveryOrder.Slot seq2 = order.reserve(conversation);

        seq2.fill(() -> delivered.add("seq 2"));
        assertThat(delivered).as("delivered while seq 1 is still open").isEmpty();

        seq1.fill(() -> delivered.add("seq 1"));
        assertThat(delivered).containsExactly("seq 1", "seq 2");
        assertThat(order.openLines()).isZero();
    }

    @Test
    void aRolledBackChangeReleasesTheOnesBehindIt() {
        DeliveryOrder.Slot rolledBack = order.reserve(conversation);
        DeliveryOrder.Slot seq1 = order.reserve(conversation);
        DeliveryOrder.Slot seq2 = order.reserve(conversation);
        seq2.fill(() -> delivered.add("seq 2"));
        seq1.fill(() -> delivered.add("seq 1"));
        assertThat(delivered).isEmpty();

        rolledBack.drop();
        assertThat(delivered).containsExactly("seq 1", "seq 2");
        assertThat(order.openLines()).isZero();
    }

    @Test
    void aSlotIsSettledOnlyOnce() {
        DeliveryOrder.Slot committed = order.reserve(conversation);
        committed.fill(() -> delivered.add("committed"));
        committed.drop();
        committed.fill(() -> delivered.add("again"));

        DeliveryOrder.Slot rolledBack = order.reserve(conversation);
        rolledBack.drop();
        rolledBack.fill(() -> delivered.add("after the rollback"));

        assertThat(delivered).containsExactly("committed");
    }

    @Test
    void anUnrelatedConversationDoesNotWaitForAnOpenChange() {
        DeliveryOrder.Slot open = order.reserve(conversation);
        DeliveryOrder.Slot elsewhere = order.reserve(UUID.randomUUID());

        elsewhere.fill(() -> delivered.add("elsewhere"));
        assertThat(delivered).containsExactly("elsewhere");

        open.fill(() -> delivered.add("here"));
        assertThat(delivered).containsExactly("elsewhere", "here");
        assertThat(order.openLines()).isZero();
    }

    @Test
    void aFailedDeliveryDoesNotHoldUpTheNext() {
        DeliveryOrder.Slot failing = order.reserve(conversation);
        DeliveryOrder.Slot next = order.reserve(conversation);
        next.fill(() -> delivered.add("next"));

        failing.fill(() -> {
            throw new IllegalStateException("session closed meanwhile");
        });
        assertThat(delivered).containsExactly("next");
        assertThat(order.openLines()).isZero();
    }

    @Test
    void concurrentChangesAreDeliveredInTheOrderTheyTookTheLock() throws Exception {
        int changes = 2_000;
        ReentrantLock rowLock = new ReentrantLock();
        long[] lastSeq = {0};
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            List<Future<?>> running = IntStream.range(0, changes).<Future<?>>mapToObj(i -> threads.submit(() -> {
                long seq;
                DeliveryOrder.Slot slot;
                // Like a send: draw the seq and reserve under the conversation's lock, settle after releasing it.
                rowLock.lock();
                try {
                    seq = ++lastSeq[0];
                    slot = order.reserve(conversation);
                } finally {
                    rowLock.unlock();
                }
                if (seq % 10 == 0) {
                    slot.drop();
                } else {
                    slot.fill(() -> delivered.add("seq " + seq));
                }
            })).toList();
            for (Future<?> change : running) {
                change.get();
            }
        }
        assertThat(delivered).containsExactlyElementsOf(IntStream.rangeClosed(1, changes)
                .filter(seq -> seq % 10 != 0).mapToObj(seq -> "seq " + seq).toList());
        assertThat(order.openLines()).isZero();
    }
}
