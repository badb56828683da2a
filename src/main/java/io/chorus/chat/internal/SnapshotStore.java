package io.chorus.chat.internal;

import io.chorus.chat.ConversationId;
import io.chorus.chat.MessageSnapshot;
import io.chorus.identity.UserId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The SQL behind {@link io.chorus.chat.MessageSnapshots}. Current states of messages, read in batches: by id (after events said they changed), by
 * seq range (after a retention purge) and all of them in id order (to rebuild an index).
 */
@Repository
public class SnapshotStore {

    private static final String SELECT = """
            SELECT m.id, m.conversation_id, m.seq, m.sender_id, m.body, m.mentions, m.mentions_all, m.created_at,
                   m.edited_at, m.recalled_at, m.purged_at, m.version,
                   ARRAY(SELECT r.body FROM chat.message_revision r WHERE r.message_id = m.id
                         ORDER BY r.revision) AS earlier_texts
            FROM chat.message m
            """;

    private final JdbcClient jdbc;

    SnapshotStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The messages of these ids that exist, in id order. */
    public List<MessageSnapshot> byIds(Collection<Long> ids) {
        return jdbc.sql(SELECT + " WHERE m.id = ANY(:ids) ORDER BY m.id")
                .param("ids", ids.toArray(Long[]::new)).query(SnapshotStore::snapshot).list();
    }

    /** Ids of a conversation's messages with seqs in {@code fromSeq..toSeq}. */
    public List<Long> idsInSeqRange(ConversationId conversation, long fromSeq, long toSeq) {
        return jdbc.sql("SELECT id FROM chat.message WHERE conversation_id = :c AND seq BETWEEN :from AND :to")
                .param("c", conversation.value()).param("from", fromSeq).param("to", toSeq)
                .query(Long.class).list();
    }

    /** Up to {@code limit} messages with ids above {@code afterId}, in id order: one page of all of them. */
    public List<MessageSnapshot> after(long afterId, int limit) {
        return jdbc.sql(SELECT + " WHERE m.id > :after ORDER BY m.id LIMIT :n")
                .param("after", afterId).param("n", limit).query(SnapshotStore::snapshot).list();
    }

    private static MessageSnapshot snapshot(ResultSet rs, int row) throws SQLException {
        UUID[] mentions = (UUID[]) rs.getArray("mentions").getArray();
        String[] earlier = (String[]) rs.getArray("earlier_texts").getArray();
        Timestamp edited = rs.getTimestamp("edited_at");
        return new MessageSnapshot(rs.getLong("id"), ConversationId.of(rs.getObject("conversation_id", UUID.class)),
                rs.getLong("seq"), UserId.of(rs.getObject("sender_id", UUID.class)), rs.getString("body"),
                Arrays.asList(earlier), Set.of(mentions), rs.getBoolean("mentions_all"),
                rs.getTimestamp("created_at").toInstant(), edited == null ? null : edited.toInstant(),
                rs.getTimestamp("recalled_at") != null, rs.getTimestamp("purged_at") != null, rs.getLong("version"));
    }
}
