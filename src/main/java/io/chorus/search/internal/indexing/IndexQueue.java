package io.chorus.search.internal.indexing;

import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The durable list of messages whose search documents are out of date. It is what makes a
 * search outage visible and recoverable: entries stay until an engine has taken them.
 */
@Repository
class IndexQueue {

    private final JdbcClient jdbc;

    IndexQueue(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One queued message and the generation it had when it was read. */
    record Entry(long messageId, long generation) {
    }

    /** Queues these messages; one already queued gets a new generation, so a drain in progress keeps it. */
    void add(Collection<Long> messageIds) {
        if (messageIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                INSERT INTO search.pending_message (message_id, generation, enqueued_at)
                SELECT id, nextval('search.pending_generation'), now() FROM unnest(:ids) AS id
                ON CONFLICT (message_id) DO UPDATE SET generation = excluded.generation
                """).param("ids", messageIds.stream().distinct().toArray(Long[]::new)).update();
    }

    /**
     * Up to {@code limit} entries, locked for the caller's transaction; entries another node's
     * drain holds are skipped, not waited for.
     */
    List<Entry> claim(int limit) {
        return jdbc.sql("""
                SELECT message_id, generation FROM search.pending_message
                ORDER BY message_id LIMIT :n FOR UPDATE SKIP LOCKED
                """).param("n", limit).query((rs, n) -> new Entry(rs.getLong(1), rs.getLong(2))).list();
    }

    /** Removes these entries, unless they were queued again since they were claimed. */
    void remove(Collection<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        jdbc.sql("""
                DELETE FROM search.pending_message p
                USING unnest(:ids, :generations) AS done(message_id, generation)
                WHERE p.message_id = done.message_id AND p.generation = done.generation
                """)
                .param("ids", entries.stream().map(Entry::messageId).toArray(Long[]::new))
                .param("generations", entries.stream().map(Entry::generation).toArray(Long[]::new)).update();
    }

    /** The backlog's size and the time its oldest entry has waited since. */
    IndexStatus.Backlog backlog() {
        return jdbc.sql("SELECT count(*), min(enqueued_at) FROM search.pending_message").query((rs, n) -> {
            Timestamp oldest = rs.getTimestamp(2);
            return new IndexStatus.Backlog(rs.getLong(1), oldest == null ? null : oldest.toInstant());
        }).single();
    }
}
