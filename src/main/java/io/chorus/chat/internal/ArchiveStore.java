package io.chorus.chat.internal;

import io.chorus.chat.ArchiveQuery;
import io.chorus.chat.ArchivedMessage;
import io.chorus.chat.ConversationId;
import io.chorus.chat.ConversationKind;
import io.chorus.identity.UserId;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The SQL behind {@link io.chorus.chat.MessageArchive}. Messages for eDiscovery exports, streamed: one statement read through a server-side cursor,
 * earlier texts in the same statement (index look-ups per row, no second round trip), and
 * membership at posting time replayed from the membership history, one query per conversation.
 */
@Repository
public class ArchiveStore {

    private static final int FETCH_SIZE = 500;

    private static final String COLUMNS = "id, conversation_id, seq, sender_id, body, created_at, edited_at, "
            + "recalled_at, recalled_by, purged_at";

    /** [from, to): open ends become infinities rather than "IS NULL OR", so they stay index conditions. */
    private static final String SENT_IN_RANGE = "created_at >= coalesce(CAST(:from AS timestamptz), '-infinity')"
            + " AND created_at < coalesce(CAST(:to AS timestamptz), 'infinity')";

    /**
     * Messages of the chosen conversations or senders in [from, to), by conversation and seq.
     * "Conversation or sender" is a UNION ALL of two plain conditions, not an OR: each half is
     * a range scan of its own (..., created_at) index, where an OR let the planner read every
     * conversation's messages of the period through the time index. The sender half skips the
     * chosen conversations, which the first half returns already. Earlier texts come from the
     * revision key in the same statement. {@code onlySenders} applies to both halves.
     * QueryPlanTest EXPLAINs exactly this, with {@link #parameters}.
     */
    static final String ARCHIVE = """
            WITH matching AS (
                SELECT %1$s FROM chat.message
                WHERE conversation_id = ANY(CAST(:conversations AS uuid[])) AND %2$s
                UNION ALL
                SELECT %1$s FROM chat.message
                WHERE sender_id = ANY(CAST(:senders AS uuid[])) AND %2$s
                  AND conversation_id <> ALL(CAST(:conversations AS uuid[]))
            )
            SELECT m.id, m.conversation_id, c.kind, c.name, m.seq, m.sender_id, m.body, m.created_at, m.edited_at,
                   m.recalled_at, m.recalled_by, m.purged_at,
                   ARRAY(SELECT r.body FROM chat.message_revision r WHERE r.message_id = m.id
                         ORDER BY r.revision) AS revision_texts,
                   ARRAY(SELECT r.written_at FROM chat.message_revision r WHERE r.message_id = m.id
                         ORDER BY r.revision) AS revision_times
            FROM matching m JOIN chat.conversation c ON c.id = m.conversation_id
            WHERE CAST(:restricted AS boolean) IS FALSE OR m.sender_id = ANY(CAST(:only AS uuid[]))
            ORDER BY m.conversation_id, m.seq
            """.formatted(COLUMNS, SENT_IN_RANGE);

    private final NamedParameterJdbcTemplate jdbc;

    ArchiveStore(DataSource dataSource) {
        JdbcTemplate streaming = new JdbcTemplate(dataSource);
        streaming.setFetchSize(FETCH_SIZE);
        this.jdbc = new NamedParameterJdbcTemplate(streaming);
    }

    /** Hands every matching message to {@code sink}, by conversation and seq, as the cursor reads it. */
    public void stream(ArchiveQuery query, Consumer<ArchivedMessage> sink) {
        MembershipReplay replay = new MembershipReplay();
        jdbc.query(ARCHIVE, parameters(query), rs -> {
            UUID conversation = rs.getObject("conversation_id", UUID.class);
            long seq = rs.getLong("seq");
            sink.accept(message(rs, conversation, seq, replay.membersAt(conversation, seq)));
        });
    }

    /**
     * Everyone who is or ever was a member of the conversation: whose messages a hold on it
     * keeps. Empty for a conversation that does not exist.
     */
    public Set<UserId> everMembers(ConversationId conversation) {
        return new LinkedHashSet<>(jdbc.query("""
                SELECT user_id FROM chat.membership_change WHERE conversation_id = :c
                UNION
                SELECT user_id FROM chat.member WHERE conversation_id = :c
                """, new MapSqlParameterSource("c", conversation.value()),
                (rs, n) -> UserId.of(rs.getObject(1, UUID.class))));
    }

    /** The statement's parameters; QueryPlanTest explains with the same ones. */
    static MapSqlParameterSource parameters(ArchiveQuery query) {
        return new MapSqlParameterSource()
                .addValue("conversations", query.conversationIds().stream().map(ConversationId::value)
                        .toArray(UUID[]::new))
                .addValue("senders", query.senderIds().stream().map(UserId::value).toArray(UUID[]::new))
                .addValue("from", utc(query.from()), Types.TIMESTAMP_WITH_TIMEZONE)
                .addValue("to", utc(query.to()), Types.TIMESTAMP_WITH_TIMEZONE)
                .addValue("restricted", query.onlySenders() != null)
                .addValue("only", query.onlySenders() == null ? new UUID[0]
                        : query.onlySenders().stream().map(UserId::value).toArray(UUID[]::new));
    }
    private static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }

    private record Change(UUID userId, boolean member, long atSeq) {
    }

    /**
     * Who was a member when each message was posted. A change is stamped with the conversation's
     * last seq at the time it happened, i.e. after message {@code atSeq} and before the next: a
     * user who joined at 5 was not a member for message 5 but is for 6, one who left at 5 was a
     * member for 5 and not for 6. So a message with seq s sees exactly the changes with
     * {@code atSeq < s}. Messages arrive in seq order per conversation, so changes are applied
     * once each, moving forward.
     */
    private final class MembershipReplay {
        private UUID conversation;
        private List<Change> changes = List.of();
        private int applied;
        private final Set<UUID> members = new LinkedHashSet<>();

        List<UserId> membersAt(UUID conversationId, long seq) {
            if (!conversationId.equals(conversation)) {
                conversation = conversationId;
                changes = jdbc.query("""
                        SELECT user_id, change, at_seq FROM chat.membership_change
                        WHERE conversation_id = :c ORDER BY at_seq, id
                        """, new MapSqlParameterSource("c", conversationId), (rs, n) -> new Change(
                        rs.getObject("user_id", UUID.class),
                        !MembershipChangeKind.valueOf(rs.getString("change")).endsMembership(), rs.getLong("at_seq")));
                applied = 0;
                members.clear();
            }
            while (applied < changes.size() && changes.get(applied).atSeq() < seq) {
                Change change = changes.get(applied++);
                if (change.member()) {
                    members.add(change.userId());
                } else {
                    members.remove(change.userId());
                }
            }
            return members.stream().map(UserId::of).toList();
        }
    }

    private static ArchivedMessage message(ResultSet rs, UUID conversation, long seq, List<UserId> members)
            throws SQLException {
        String[] texts = (String[]) rs.getArray("revision_texts").getArray();
        Array timesArray = rs.getArray("revision_times");
        Timestamp[] times = (Timestamp[]) timesArray.getArray();
        List<ArchivedMessage.Revision> revisions = new ArrayList<>(texts.length);
        for (int i = 0; i < texts.length; i++) {
            revisions.add(new ArchivedMessage.Revision(i + 1, texts[i], times[i].toInstant()));
        }
        UUID recalledBy = rs.getObject("recalled_by", UUID.class);
        Instant recalledAt = instant(rs, "recalled_at");
        Instant purgedAt = instant(rs, "purged_at");
        return new ArchivedMessage(rs.getLong("id"), ConversationId.of(conversation),
                ConversationKind.valueOf(rs.getString("kind")), rs.getString("name"), seq,
                UserId.of(rs.getObject("sender_id", UUID.class)), rs.getString("body"),
                rs.getTimestamp("created_at").toInstant(), instant(rs, "edited_at"), recalledAt != null, recalledAt,
                recalledBy == null ? null : UserId.of(recalledBy), purgedAt != null, purgedAt, revisions, members);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
