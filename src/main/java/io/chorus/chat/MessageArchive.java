package io.chorus.chat;

import io.chorus.chat.internal.ArchiveStore;
import io.chorus.identity.UserId;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Messages for eDiscovery exports, streamed through a server-side cursor, each with its earlier
 * texts and the members of its conversation at the time it was posted.
 */
@Service
public class MessageArchive {

    private final ArchiveStore store;

    MessageArchive(ArchiveStore store) {
        this.store = store;
    }

    /** Hands every matching message to {@code sink}, by conversation and seq, as the cursor reads it. */
    @Transactional(readOnly = true)
    public void stream(ArchiveQuery query, Consumer<ArchivedMessage> sink) {
        store.stream(query, sink);
    }

    /**
     * Everyone who is or ever was a member of the conversation: whose messages a hold on it
     * keeps. Empty for a conversation that does not exist.
     */
    @Transactional(readOnly = true)
    public Set<UserId> everMembers(ConversationId conversation) {
        return store.everMembers(conversation);
    }
}
