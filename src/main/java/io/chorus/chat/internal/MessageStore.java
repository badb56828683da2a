package io.chorus.chat.internal;

import io.chorus.chat.Card;
import io.chorus.chat.MessageKind;
import io.chorus.chat.MessageView;
import io.chorus.chat.MessageView.ReactionView;
import io.chorus.chat.MessageView.ReplyPreview;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Messages in PostgreSQL. Pages are read in two statements whatever their size: the
 * messages (with their quoted message joined in) and all their reactions.
 */
@Repository
public class MessageStore {

    /** How much of a quoted message a reply shows. */
    public static final int REPLY_EXCERPT_LENGTH = 200;

    private static final String SELECT_VIEW = """
            SELECT m.id, m.conversation_id, m.seq, m.sender_id, m.client_message_id, m.body, m.kind, m.card, m.reply_to_id,
                   m.mentions, m.mentions_all, m.created_at, m.edited_at, m.recalled_at, m.purged_at, m.version,
                   r.seq AS reply_seq, r.sender_id AS reply_sender, left(r.body, %d) AS reply_body,
                   r.recalled_at AS reply_recalled_at, r.purged_at AS reply_purged_at
            FROM chat.message m LEFT JOIN chat.message r ON r.id = m.reply_to_id
            """.formatted(REPLY_EXCERPT_LENGTH);

    // The hot reads, named so QueryPlanTest can EXPLAIN exactly what runs here.
    static final String PAGE_AFTER = SELECT_VIEW
            + " WHERE m.conversation_id = :c AND m.seq > :after ORDER BY m.seq LIMIT :n";
    static final String PAGE_BEFORE = SELECT_VIEW
            + " WHERE m.conversation_id = :c AND m.seq < :before ORDER BY m.seq DESC LIMIT :n";
    static final String CATCH_UP = "WITH wanted AS ("
            + " (SELECT id FROM chat.message WHERE conversation_id = :c AND seq > GREATEST(:since, :after)"
            + "  ORDER BY seq LIMIT :n)"
            + " UNION ALL"
            + " (SELECT id FROM chat.message WHERE conversation_id = :c AND changed_at_seq >= :since"
            + "  AND seq <= :since AND seq > :after ORDER BY seq LIMIT :n)) "
            + SELECT_VIEW + " JOIN wanted w ON w.id = m.id ORDER BY m.seq LIMIT :n";
    static final String REACTIONS = """
            SELECT message_id, emoji, array_agg(user_id ORDER BY created_at, user_id) AS users
            FROM chat.reaction WHERE message_id = ANY(:ids)
            GROUP BY message_id, emoji ORDER BY message_id, min(created_at), emoji
            """;

    /** A message is held while an active legal hold covers its sender or its conversation at its time. */
    private static final String NOT_HELD = """
            NOT EXISTS (SELECT 1 FROM chat.legal_hold h
                        WHERE h.released_at IS NULL
                          AND ((h.subject_type = 'USER' AND h.subject_id = m.sender_id)
                               OR (h.subject_type = 'CONVERSATION' AND h.subject_id = m.conversation_id))
                          AND (h.held_from IS NULL OR h.held_from <= m.created_at)
                          AND (h.held_to IS NULL OR m.created_at <= h.held_to))""";

    /**
     * Erases up to {@code :n} unheld messages of the scope sent before {@code :cutoff}: empty
     * text, no card, no revisions, no reactions; row, seq and metadata stay. Rows another transaction
     * holds (another node's purge, an edit in progress) are skipped, never waited for. The
     * version and catch-up stamp move, so clients holding the old state learn of it. The batch's
     * ids go in as an array, so each row is found by its key however large the table.
     */
    private static final String PURGE = """
            WITH doomed AS (
                SELECT m.id FROM chat.message m
                WHERE m.purged_at IS NULL AND m.created_at < :cutoff AND %s AND %s
                LIMIT :n FOR UPDATE OF m SKIP LOCKED
            ), revisions AS (
                DELETE FROM chat.message_revision WHERE message_id = ANY (ARRAY(SELECT id FROM doomed))
            ), reactions AS (
                DELETE FROM chat.reaction WHERE message_id = ANY (ARRAY(SELECT id FROM doomed))
            )
            UPDATE chat.message m
            SET body = '', card = NULL, purged_at = :now, version = m.version + 1,
                changed_at_seq = (SELECT c.last_seq FROM chat.conversation c WHERE c.id = m.conversation_id)
            WHERE m.id = ANY (ARRAY(SELECT id FROM doomed))
            RETURNING m.conversation_id, m.seq
            """;
    /** One conversation with its own retention period. */
    static final String PURGE_CONVERSATION = PURGE.formatted("m.conversation_id = :c", NOT_HELD);
    /** Every conversation without an override: they follow the global period. */
    static final String PURGE_DEFAULT = PURGE.formatted(
            "NOT EXISTS (SELECT 1 FROM chat.retention_policy o WHERE o.conversation_id = m.conversation_id)",
            NOT_HELD);

    private static final String SELECT_CORE = "SELECT id, conversation_id, seq, sender_id, body, kind, card, "
            + "created_at, recalled_at, purged_at, version FROM chat.message";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    MessageStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The facts the rules about editing, recalling and retrying need; {@code card} is null but for a card. */
    public record MessageCore(long id, UUID conversationId, long seq, UUID senderId, String body, MessageKind kind,
            Card card, Instant createdAt, Instant recalledAt, Instant purgedAt, int version) {

        public boolean recalled() {
            return recalledAt != null;
        }

        public boolean purged() {
            return purgedAt != null;
        }
    }

    public Optional<MessageCore> findBySenderAndClientId(UUID senderId, String clientMessageId) {
        return jdbc.sql(SELECT_CORE + " WHERE sender_id = :s AND client_message_id = :cm")
                .param("s", senderId).param("cm", clientMessageId)
                .query(this::core).optional();
    }

    public Optional<MessageCore> find(UUID conversationId, long messageId) {
        return jdbc.sql(SELECT_CORE + " WHERE id = :id AND conversation_id = :c")
                .param("id", messageId).param("c", conversationId)
                .query(this::core).optional();
    }

    /** As {@link #find}, locking the row against concurrent edits and recalls. */
    public Optional<MessageCore> findForUpdate(UUID conversationId, long messageId) {
        return jdbc.sql(SELECT_CORE + " WHERE id = :id AND conversation_id = :c FOR UPDATE")
                .param("id", messageId).param("c", conversationId)
                .query(this::core).optional();
    }

    /** Where a newly stored message landed. */
    public record Posted(long id, long seq) {
    }

    /**
     * Draws the next seq, stores the message and moves the sender's read cursor to it, in one
     * statement: the conversation row lock that serialises senders is held for as short a time
     * as possible. Empty when this sender already used this client message id, or when the group
     * was archived after the caller checked (the archive holds the same row lock); the caller then
     * rolls back, so the seq drawn here is not consumed and no gap appears. A card's body is its
     * summary.
     */
    public Optional<Posted> post(UUID conversationId, UUID senderId, String clientMessageId, String body,
            Card card, Long replyToId, List<UUID> mentions, boolean mentionsAll, Instant now) {
        return jdbc.sql("""
                WITH next AS (
                    UPDATE chat.conversation SET last_seq = last_seq + 1, last_activity_at = :now
                    WHERE id = :c AND NOT archived RETURNING last_seq
                ), read AS (
                    UPDATE chat.member SET read_seq = (SELECT last_seq FROM next)
                    WHERE conversation_id = :c AND user_id = :sender
                )
                INSERT INTO chat.message (conversation_id, seq, sender_id, client_message_id, body, kind, card,
                                          reply_to_id, mentions, mentions_all, created_at)
                SELECT :c, next.last_seq, :sender, :cm, :body, :kind, CAST(:card AS jsonb), :reply, :mentions, :all,
                       :now FROM next
                ON CONFLICT (sender_id, client_message_id) DO NOTHING
                RETURNING id, seq
                """)
                .param("c", conversationId).param("sender", senderId).param("cm", clientMessageId)
                .param("body", body).param("kind", (card == null ? MessageKind.TEXT : MessageKind.CARD).name())
                .param("card", card == null ? null : json.writeValueAsString(card)).param("reply", replyToId).param("mentions", mentions.toArray(UUID[]::new))
                .param("all", mentionsAll).param("now", Timestamp.from(now))
                .query((rs, n) -> new Posted(rs.getLong("id"), rs.getLong("seq"))).optional();
    }

    /** Keeps the text being replaced as the next revision, then writes the new text. */
    public int edit(long messageId, String newBody, Instant now, long changedAtSeq) {
        jdbc.sql("""
                INSERT INTO chat.message_revision (message_id, revision, body, written_at)
                SELECT m.id, (SELECT count(*) + 1 FROM chat.message_revision WHERE message_id = m.id),
                       m.body, coalesce(m.edited_at, m.created_at)
                FROM chat.message m WHERE m.id = :id
                """)
                .param("id", messageId).update();
        return jdbc.sql("""
                UPDATE chat.message SET body = :body, edited_at = :now, version = version + 1,
                                        changed_at_seq = :changedAt
                WHERE id = :id RETURNING version
                """)
                .param("id", messageId).param("body", newBody).param("now", Timestamp.from(now))
                .param("changedAt", changedAtSeq)
                .query(Integer.class).single();
    }

    /**
     * Keeps the card being replaced (and its summary) as the next revision, then writes the new
     * card and summary: compliance sees every version a card had.
     */
    public int replaceCard(long messageId, Card card, Instant now, long changedAtSeq) {
        jdbc.sql("""
                INSERT INTO chat.message_revision (message_id, revision, body, card, written_at)
                SELECT m.id, (SELECT count(*) + 1 FROM chat.message_revision WHERE message_id = m.id),
                       m.body, m.card, coalesce(m.edited_at, m.created_at)
                FROM chat.message m WHERE m.id = :id
                """)
                .param("id", messageId).update();
        return jdbc.sql("""
                UPDATE chat.message SET body = :body, card = CAST(:card AS jsonb), edited_at = :now,
                                        version = version + 1, changed_at_seq = :changedAt
                WHERE id = :id AND kind = 'CARD' RETURNING version
                """)
                .param("id", messageId).param("body", card.summary()).param("card", json.writeValueAsString(card))
                .param("now", Timestamp.from(now)).param("changedAt", changedAtSeq)
                .query(Integer.class).single();
    }

    /** Marks the message recalled; its text stays in the row for compliance. */
    public int recall(long messageId, UUID by, Instant now, long changedAtSeq) {
        return jdbc.sql("""
                UPDATE chat.message SET recalled_at = :now, recalled_by = :by, version = version + 1,
                                        changed_at_seq = :changedAt
                WHERE id = :id RETURNING version
                """)
                .param("id", messageId).param("by", by).param("now", Timestamp.from(now))
                .param("changedAt", changedAtSeq)
                .query(Integer.class).single();
    }

    public boolean addReaction(long messageId, String emoji, UUID userId, Instant now) {
        return jdbc.sql("""
                INSERT INTO chat.reaction (message_id, emoji, user_id, created_at) VALUES (:id, :emoji, :u, :now)
                ON CONFLICT DO NOTHING
                """)
                .param("id", messageId).param("emoji", emoji).param("u", userId).param("now", Timestamp.from(now))
                .update() == 1;
    }

    public boolean removeReaction(long messageId, String emoji, UUID userId) {
        return jdbc.sql("DELETE FROM chat.reaction WHERE message_id = :id AND emoji = :emoji AND user_id = :u")
                .param("id", messageId).param("emoji", emoji).param("u", userId).update() == 1;
    }

    /** A change that is not an edit or recall (a reaction) still moves the version and catch-up stamp. */
    public void touch(long messageId, long changedAtSeq) {
        jdbc.sql("UPDATE chat.message SET version = version + 1, changed_at_seq = :changedAt WHERE id = :id")
                .param("id", messageId).param("changedAt", changedAtSeq).update();
    }

    public MessageView view(long messageId) {
        List<MessageView> views = withReactions(jdbc.sql(SELECT_VIEW + " WHERE m.id = :id")
                .param("id", messageId).query(this::viewOf).list());
        return views.getFirst();
    }

    /** The newest messages, or those right before or after a seq; always in ascending seq order. */
    public List<MessageView> page(UUID conversationId, Long beforeSeq, Long afterSeq, int limit) {
        List<MessageView> rows;
        if (afterSeq != null) {
            rows = jdbc.sql(PAGE_AFTER)
                    .param("c", conversationId).param("after", afterSeq).param("n", limit)
                    .query(this::viewOf).list();
        } else {
            rows = new ArrayList<>(jdbc.sql(PAGE_BEFORE)
                    .param("c", conversationId).param("before", beforeSeq == null ? Long.MAX_VALUE : beforeSeq)
                    .param("n", limit)
                    .query(this::viewOf).list());
            Collections.reverse(rows);
        }
        return withReactions(rows);
    }

    /**
     * Everything a client that saw up to {@code sinceSeq} is missing: newer messages, and older
     * ones changed since then, in seq order after {@code afterSeq} (the paging cursor).
     * Two index range scans (by seq, and by change stamp) instead of one scan of the whole history.
     */
    public List<MessageView> catchUp(UUID conversationId, long sinceSeq, long afterSeq, int limit) {
        return withReactions(jdbc.sql(CATCH_UP)
                .param("c", conversationId).param("since", sinceSeq).param("after", afterSeq).param("n", limit)
                .query(this::viewOf).list());
    }

    /** A message whose content a purge erased. */
    public record Purged(UUID conversationId, long seq) {
    }

    /**
     * Keeps legal holds from being placed or released until the transaction ends, so a purge
     * batch never erases what a hold committed meanwhile was meant to keep. Purges on several
     * nodes share the lock; a hold waits for at most one batch.
     */
    public void lockHoldsForPurge() {
        jdbc.sql("LOCK TABLE chat.legal_hold IN SHARE MODE").update();
    }

    /** One purge batch in one conversation with an override. */
    public List<Purged> purgeInConversation(UUID conversationId, Instant cutoff, int limit, Instant now) {
        return jdbc.sql(PURGE_CONVERSATION)
                .param("c", conversationId).param("cutoff", Timestamp.from(cutoff)).param("n", limit)
                .param("now", Timestamp.from(now))
                .query(MessageStore::purged).list();
    }

    /** One purge batch across the conversations that follow the global period. */
    public List<Purged> purgeByDefault(Instant cutoff, int limit, Instant now) {
        return jdbc.sql(PURGE_DEFAULT)
                .param("cutoff", Timestamp.from(cutoff)).param("n", limit).param("now", Timestamp.from(now))
                .query(MessageStore::purged).list();
    }

    private static Purged purged(ResultSet rs, int rowNum) throws SQLException {
        return new Purged(rs.getObject("conversation_id", UUID.class), rs.getLong("seq"));
    }

    /** Members other than the sender, split by whether their read cursor has reached {@code seq}. */
    public Map<Boolean, List<UUID>> readersOf(UUID conversationId, long seq, UUID senderId) {
        Map<Boolean, List<UUID>> split = new LinkedHashMap<>(Map.of(true, new ArrayList<>(), false, new ArrayList<>()));
        jdbc.sql("""
                SELECT user_id, read_seq >= :seq AS has_read FROM chat.member
                WHERE conversation_id = :c AND user_id <> :sender ORDER BY joined_at, user_id
                """)
                .param("c", conversationId).param("seq", seq).param("sender", senderId)
                .query(rs -> {
                    split.get(rs.getBoolean("has_read")).add(rs.getObject("user_id", UUID.class));
                });
        return split;
    }

    private List<MessageView> withReactions(List<MessageView> messages) {
        if (messages.isEmpty()) {
            return messages;
        }
        Map<Long, List<ReactionView>> reactions = new LinkedHashMap<>();
        jdbc.sql(REACTIONS)
                .param("ids", messages.stream().map(MessageView::id).toArray(Long[]::new))
                .query(rs -> {
                    reactions.computeIfAbsent(rs.getLong("message_id"), id -> new ArrayList<>())
                            .add(new ReactionView(rs.getString("emoji"), uuids(rs.getArray("users"))));
                });
        if (reactions.isEmpty()) {
            return messages;
        }
        return messages.stream().map(message -> reactions.containsKey(message.id())
                ? withReactions(message, reactions.get(message.id())) : message).toList();
    }

    private static MessageView withReactions(MessageView m, List<ReactionView> reactions) {
        return new MessageView(m.id(), m.conversationId(), m.seq(), m.senderId(), m.clientMessageId(), m.text(),
                m.kind(), m.card(), m.replyTo(), m.mentions(), m.mentionsAll(), reactions, m.createdAt(), m.editedAt(), m.recalled(),
                m.recalledAt(), m.purged(), m.version());
    }

    private MessageView viewOf(ResultSet rs, int rowNum) throws SQLException {
        boolean recalled = rs.getTimestamp("recalled_at") != null;
        boolean purged = rs.getTimestamp("purged_at") != null;
        long replyTo = rs.getLong("reply_to_id");
        ReplyPreview reply = rs.wasNull() ? null : new ReplyPreview(replyTo, rs.getLong("reply_seq"),
                rs.getObject("reply_sender", UUID.class),
                rs.getTimestamp("reply_recalled_at") != null || rs.getTimestamp("reply_purged_at") != null ? null
                        : rs.getString("reply_body"));
        return new MessageView(
                rs.getLong("id"),
                rs.getObject("conversation_id", UUID.class),
                rs.getLong("seq"),
                rs.getObject("sender_id", UUID.class),
                rs.getString("client_message_id"),
                recalled || purged ? null : rs.getString("body"),
                MessageKind.valueOf(rs.getString("kind")),
                recalled || purged ? null : card(rs.getString("card")),
                reply,
                uuids(rs.getArray("mentions")),
                rs.getBoolean("mentions_all"),
                List.of(),
                rs.getTimestamp("created_at").toInstant(),
                instant(rs.getTimestamp("edited_at")),
                recalled,
                instant(rs.getTimestamp("recalled_at")),
                purged,
                rs.getInt("version"));
    }

    private MessageCore core(ResultSet rs, int rowNum) throws SQLException {
        return new MessageCore(rs.getLong("id"), rs.getObject("conversation_id", UUID.class), rs.getLong("seq"),
                rs.getObject("sender_id", UUID.class), rs.getString("body"), MessageKind.valueOf(rs.getString("kind")),
                card(rs.getString("card")), rs.getTimestamp("created_at").toInstant(), instant(rs.getTimestamp("recalled_at")),
                instant(rs.getTimestamp("purged_at")), rs.getInt("version"));
    }

    private Card card(String stored) {
        return stored == null ? null : json.readValue(stored, Card.class);
    }

    private static List<UUID> uuids(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((UUID[]) array.getArray());
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
