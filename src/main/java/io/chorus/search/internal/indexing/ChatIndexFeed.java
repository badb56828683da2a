package io.chorus.search.internal.indexing;

import io.chorus.chat.ChatEvents.MessageEdited;
import io.chorus.chat.ChatEvents.MessagePosted;
import io.chorus.chat.ChatEvents.MessageRecalled;
import io.chorus.chat.ChatEvents.MessagesPurged;
import io.chorus.chat.MessageSnapshots;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Chat's message events become queue entries.
 * The entry only says "this message changed": the indexer reads the message's current state
 * when it drains, so a redelivered or late event can never write an older state, and a
 * listener that runs twice queues the same id once.
 */
@Component
class ChatIndexFeed {

    private final IndexQueue queue;
    private final MessageSnapshots snapshots;
    private final IndexDrainer drainer;

    ChatIndexFeed(IndexQueue queue, MessageSnapshots snapshots, IndexDrainer drainer) {
        this.queue = queue;
        this.snapshots = snapshots;
        this.drainer = drainer;
    }

    /*
     * A posted, edited or recalled message is queued by a plain listener, inside the transaction
     * that changed it: the queue entry commits with the change or not at all, with no publication
     * to store and complete per message (the hot path). The purge, a batch job, keeps the registry.
     */

    @EventListener
    void on(MessagePosted event) {
        changed(List.of(event.messageId()));
    }

    @EventListener
    void on(MessageEdited event) {
        changed(List.of(event.messageId()));
    }

    @EventListener
    void on(MessageRecalled event) {
        changed(List.of(event.messageId()));
    }

    @ApplicationModuleListener
    void on(MessagesPurged event) {
        changed(snapshots.idsInSeqRange(event.conversationId(), event.fromSeq(), event.toSeq()));
    }

    private void changed(List<Long> messageIds) {
        queue.add(messageIds);
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            drainer.wakeUp();
            return;
        }
        // Woken before the commit, the drainer would not see the entries yet.
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                drainer.wakeUp();
            }
        });
    }
}
