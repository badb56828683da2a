package io.chorus.chat;

import io.chorus.chat.internal.SnapshotStore;
import java.util.Collection;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Current states of messages, read in batches: by id (after events said they changed), by
 * seq range (after a retention purge) and all of them in id order (to rebuild an index).
 */
@Service
public class MessageSnapshots {

    private final SnapshotStore store;

    MessageSnapshots(SnapshotStore store) {
        this.store = store;
    }

    /** The messages of these ids that exist, in id order. */
    @Transactional(readOnly = true)
    public List<MessageSnapshot> byIds(Collection<Long> ids) {
        return store.byIds(ids);
    }

    /** Ids of a conversation's messages with seqs in {@code fromSeq..toSeq}. */
    @Transactional(readOnly = true)
    public List<Long> idsInSeqRange(ConversationId conversation, long fromSeq, long toSeq) {
        return store.idsInSeqRange(conversation, fromSeq, toSeq);
    }

    /** Up to {@code limit} messages with ids above {@code afterId}, in id order: one page of all of them. */
    @Transactional(readOnly = true)
    public List<MessageSnapshot> after(long afterId, int limit) {
        return store.after(afterId, limit);
    }
}
