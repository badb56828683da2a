package io.chorus.chat.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.context.ApplicationEventPublisher;
import io.chorus.chat.ConversationId;
import io.chorus.chat.ConversationKind;
import io.chorus.chat.ConversationRef;
import io.chorus.chat.MemberRole;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Who belongs to which conversation, in what role, and how far they have read.
 *
 * <p>Live fan-out asks for a conversation's members once per event, hundreds of times a
 * second; those answers come from a cache ({@link #recipients}) that every change of membership
 * made through this store invalidates, both when it is made and right after its transaction
 * commits (before any live event of that transaction leaves, see {@link #forget}). The cache is
 * this node's own: membership changed through another node's store reaches it only when the
 * entry is evicted (see {@code chorus.chat.member-cache}).
 */
@Repository
public class MemberStore {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Cache<UUID, List<UUID>> recipients;

    MemberStore(JdbcClient jdbc, ChatProperties properties, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
        this.recipients = Caffeine.newBuilder().maximumSize(properties.memberCache().maxConversations())
                .expireAfterWrite(properties.memberCache().timeToLive()).build();
    }

    public Optional<MemberRole> role(UUID conversationId, UUID userId) {
        return jdbc.sql("SELECT role FROM chat.member WHERE conversation_id = :c AND user_id = :u")
                .param("c", conversationId).param("u", userId)
                .query((rs, n) -> MemberRole.valueOf(rs.getString(1))).optional();
    }

    /** What deciding whether a member may post needs, in one look-up. */
    public record SenderAccess(MemberRole role, ConversationKind kind, boolean archived) {
    }

    /**
     * The sender's role and the conversation's state, locking the sender's own membership row
     * until the sending transaction ends: nobody removed meanwhile can post. The lock is the
     * one the send later needs to move the sender's read cursor, taken up front; a weaker share
     * lock would deadlock two concurrent sends by the same person (each holding a share lock the
     * other's update waits for, one of them also holding the conversation lock).
     */
    public Optional<SenderAccess> lockedSenderAccess(UUID conversationId, UUID userId) {
        return jdbc.sql("""
                SELECT m.role, c.kind, c.archived FROM chat.member m
                JOIN chat.conversation c ON c.id = m.conversation_id
                WHERE m.conversation_id = :c AND m.user_id = :u
                FOR NO KEY UPDATE OF m
                """)
                .param("c", conversationId).param("u", userId)
                .query((rs, n) -> new SenderAccess(MemberRole.valueOf(rs.getString("role")),
                        ConversationKind.valueOf(rs.getString("kind")), rs.getBoolean("archived")))
                .optional();
    }

    /**
     * Locks these members' rows, in id order, before the caller takes the conversation's row
     * lock: the same order a send takes them in, so the two never wait on each other in a circle.
     */
    public void lockMembers(UUID conversationId, Collection<UUID> userIds) {
        jdbc.sql("""
                SELECT user_id FROM chat.member WHERE conversation_id = :c AND user_id = ANY(:users)
                ORDER BY user_id FOR NO KEY UPDATE
                """)
                .param("c", conversationId).param("users", userIds.toArray(UUID[]::new))
                .query(UUID.class).list();
    }

    /** Adds those not yet members and returns exactly the ones this call added. */
    public List<UUID> add(UUID conversationId, Collection<UUID> userIds, MemberRole role, Instant now) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        List<UUID> added = jdbc.sql("""
                INSERT INTO chat.member (conversation_id, user_id, role, joined_at)
                SELECT :c, u, :role, :now FROM unnest(CAST(:users AS uuid[])) AS u
                ON CONFLICT DO NOTHING
                RETURNING user_id
                """)
                .param("c", conversationId).param("role", role.name()).param("now", Timestamp.from(now))
                .param("users", userIds.toArray(UUID[]::new))
                .query(UUID.class).list();
        // Also when nobody was added: a concurrent transaction may have added them.
        forget(conversationId);
        return added;
    }

    public boolean remove(UUID conversationId, UUID userId) {
        boolean removed = jdbc.sql("DELETE FROM chat.member WHERE conversation_id = :c AND user_id = :u")
                .param("c", conversationId).param("u", userId).update() == 1;
        forget(conversationId);
        return removed;
    }

    public void setRole(UUID conversationId, UUID userId, MemberRole role) {
        jdbc.sql("UPDATE chat.member SET role = :role WHERE conversation_id = :c AND user_id = :u")
                .param("c", conversationId).param("u", userId).param("role", role.name()).update();
    }

    /** Those of {@code userIds} who are members, in the order given; one indexed look-up per id. */
    public List<UUID> membersAmong(UUID conversationId, List<UUID> userIds) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        List<UUID> found = jdbc.sql("SELECT user_id FROM chat.member WHERE conversation_id = :c AND user_id = ANY(:users)")
                .param("c", conversationId).param("users", userIds.toArray(UUID[]::new))
                .query(UUID.class).list();
        return userIds.stream().filter(found::contains).toList();
    }

    /** The roles of those of {@code userIds} who are members. */
    public Map<UUID, MemberRole> rolesAmong(UUID conversationId, Collection<UUID> userIds) {
        if (userIds.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql("SELECT user_id, role FROM chat.member WHERE conversation_id = :c AND user_id = ANY(:users)")
                .param("c", conversationId).param("users", userIds.toArray(UUID[]::new))
                .query((rs, n) -> Map.entry(rs.getObject("user_id", UUID.class),
                        MemberRole.valueOf(rs.getString("role"))))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey,
                        Map.Entry::getValue));
    }

    public List<UUID> memberIds(UUID conversationId) {
        return jdbc.sql("SELECT user_id FROM chat.member WHERE conversation_id = :c")
                .param("c", conversationId).query(UUID.class).list();
    }

    /**
     * The members as last committed, for delivering live events: from the cache, read once per
     * conversation until its membership changes. Never for deciding what a user may do (use
     * {@link #role} and the other look-ups, which read the database in the caller's transaction).
     */
    public List<UUID> recipients(UUID conversationId) {
        return recipients.get(conversationId, id -> List.copyOf(memberIds(id)));
    }

    /**
     * Drops the conversation's cached members now and again once the changing transaction has
     * ended: a fan-out that read the old members in between (or, inside the transaction, the
     * uncommitted ones) cannot leave them cached. The after-commit step runs first among the
     * transaction's callbacks, so the live events it publishes go to the new members.
     */
    private void forget(UUID conversationId) {
        recipients.invalidate(conversationId);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public int getOrder() {
                    return Ordered.HIGHEST_PRECEDENCE;
                }

                @Override
                public void afterCommit() {
                    recipients.invalidate(conversationId);
                    // Other nodes' caches too (several nodes), before this change's live events leave.
                    events.publishEvent(new MembersChanged(conversationId));
                }

                @Override
                public void afterCompletion(int status) {
                    recipients.invalidate(conversationId);
                }
            });
        }
    }

    /** A conversation's members changed (committed): every node drops its cached list. */
    public record MembersChanged(UUID conversationId) {
    }

    /** Drops the cached members of a conversation whose members changed on another node. */
    public void forgetCached(UUID conversationId) {
        recipients.invalidate(conversationId);
    }

    public List<MemberRow> members(UUID conversationId) {
        return jdbc.sql("""
                SELECT user_id, role, read_seq, joined_at FROM chat.member
                WHERE conversation_id = :c ORDER BY joined_at, user_id
                """)
                .param("c", conversationId)
                .query((rs, n) -> new MemberRow(rs.getObject("user_id", UUID.class),
                        MemberRole.valueOf(rs.getString("role")), rs.getLong("read_seq"),
                        rs.getTimestamp("joined_at").toInstant()))
                .list();
    }

    /** Moves the read cursor forward (never back) and returns where it now stands. */
    public long advanceRead(UUID conversationId, UUID userId, long seq) {
        return jdbc.sql("""
                UPDATE chat.member SET read_seq = GREATEST(read_seq, :seq)
                WHERE conversation_id = :c AND user_id = :u RETURNING read_seq
                """)
                .param("c", conversationId).param("u", userId).param("seq", seq)
                .query(Long.class).single();
    }

    /** Users who share a direct chat with this user: whom their presence concerns. */
    public List<UUID> directPeers(UUID userId) {
        return jdbc.sql("""
                SELECT other.user_id FROM chat.member mine
                JOIN chat.conversation c ON c.id = mine.conversation_id AND c.kind = 'DIRECT'
                JOIN chat.member other ON other.conversation_id = c.id AND other.user_id <> mine.user_id
                WHERE mine.user_id = :u
                """)
                .param("u", userId).query(UUID.class).list();
    }

    /** Every conversation the user is a member of now, as (id, kind, name) rows. */
    public List<ConversationRef> conversationsOf(UUID userId) {
        return jdbc.sql("""
                SELECT c.id, c.kind, c.name FROM chat.member m JOIN chat.conversation c ON c.id = m.conversation_id
                WHERE m.user_id = :u
                """).param("u", userId).query(MemberStore::ref).list();
    }

    /** Groups (project or department) with exactly this name (ignoring case), members or not. */
    public List<ConversationRef> groupsNamed(String name) {
        return jdbc.sql("SELECT id, kind, name FROM chat.conversation WHERE kind <> 'DIRECT' AND lower(name) = lower(:n)")
                .param("n", name).query(MemberStore::ref).list();
    }

    private static ConversationRef ref(ResultSet rs, int row) throws SQLException {
        return new ConversationRef(ConversationId.of(rs.getObject("id", UUID.class)),
                ConversationKind.valueOf(rs.getString("kind")), rs.getString("name"));
    }

    /** Appends one history row per user, in a single statement; {@link MembershipChanges} is its one caller. */
    void recordChanges(UUID conversationId, Collection<UUID> userIds, MembershipChangeKind change, MemberRole role,
            UUID by, Instant at, long atSeq) {
        if (userIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                INSERT INTO chat.membership_change (conversation_id, user_id, change, role, changed_by, changed_at, at_seq)
                SELECT :c, u, :change, :role, :by, :at, :seq FROM unnest(CAST(:users AS uuid[])) AS u
                """)
                .param("c", conversationId).param("users", userIds.toArray(UUID[]::new)).param("change", change.name())
                .param("role", role == null ? null : role.name()).param("by", by)
                .param("at", Timestamp.from(at)).param("seq", atSeq)
                .update();
    }

    public record MemberRow(UUID userId, MemberRole role, long readSeq, Instant joinedAt) {
    }
}
