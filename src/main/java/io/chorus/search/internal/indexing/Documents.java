package io.chorus.search.internal.indexing;

import io.chorus.chat.MessageSnapshot;
import io.chorus.search.internal.engine.IndexedMessage;

/** A chat message's current state as the document every engine stores. */
final class Documents {

    private Documents() {
    }

    static IndexedMessage of(MessageSnapshot m) {
        return new IndexedMessage(m.id(), m.conversationId().value(), m.seq(), m.senderId().value(), m.sentAt(),
                m.purged() ? "" : m.text(), m.earlierTexts(), m.mentions(), m.mentionsAll(), m.editedAt() != null,
                m.recalled(), m.purged(), m.version());
    }
}
