package io.chorus.audit.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes audit entries older than {@code chorus.audit.entry-retention}, oldest first and only
 * as a prefix of the chain, so what stays still verifies: before deleting, the last removed
 * entry's seq and hash become the chain's anchor, which the first kept entry points at. Each
 * removal is itself an audit entry. Unset retention (the default) keeps everything.
 */
@Component
public class EntryRetention {

    private static final Logger log = LoggerFactory.getLogger(EntryRetention.class);
    private static final int BATCH = 10_000;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final AuditProperties properties;
    private final ActivityLog activity;
    private final Clock clock;

    EntryRetention(JdbcClient jdbc, TransactionTemplate transactions, AuditProperties properties,
            ActivityLog activity, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.properties = properties;
        this.activity = activity;
        this.clock = clock;
    }

    /** Removes what has expired; returns how many entries went. */
    public long purgeExpired() {
        if (properties.entryRetention() == null) {
            return 0;
        }
        Instant cutoff = clock.instant().minus(properties.entryRetention());
        long total = 0;
        long removed;
        do {
            removed = transactions.execute(status -> purgeBatch(cutoff));
            total += removed;
        } while (removed == BATCH);
        if (total > 0) {
            log.info("Removed {} audit entries recorded before {}", total, cutoff);
        }
        return total;
    }

    private long purgeBatch(Instant cutoff) {
        long anchor = jdbc.sql("SELECT coalesce(max(seq), 0) FROM audit.chain_anchor").query(Long.class).single();
        // Entries are recorded in seq order, so the expired ones are a prefix; stop at the first kept one.
        Optional<Long> last = jdbc.sql("""
                SELECT max(seq) FROM (SELECT seq, recorded_at FROM audit.entry WHERE seq > :anchor
                                      ORDER BY seq LIMIT :n) batch
                WHERE seq < coalesce((SELECT min(seq) FROM audit.entry WHERE seq > :anchor
                                      AND recorded_at >= :cutoff), 9223372036854775807)
                """)
                .param("anchor", anchor).param("n", BATCH).param("cutoff", Timestamp.from(cutoff))
                .query(Long.class).optional();
        if (last.isEmpty() || last.get() == null) {
            return 0;
        }
        long upTo = last.get();
        byte[] hash = jdbc.sql("SELECT hash FROM audit.entry WHERE seq = :s").param("s", upTo)
                .query(byte[].class).single();
        jdbc.sql("SELECT set_config('chorus.audit_retention', 'on', true)").query(String.class).single();
        int count = jdbc.sql("DELETE FROM audit.entry WHERE seq > :anchor AND seq <= :upTo")
                .param("anchor", anchor).param("upTo", upTo).update();
        jdbc.sql("SELECT set_config('chorus.audit_retention', 'off', true)").query(String.class).single();
        jdbc.sql("INSERT INTO audit.chain_anchor (seq, hash, removed_count, removed_at) VALUES (:s, :h, :n, :at)")
                .param("s", upTo).param("h", hash).param("n", count).param("at", Timestamp.from(clock.instant()))
                .update();
        activity.record(Activity.of("audit.entries_removed", "retention:" + UUID.randomUUID())
                .detail("fromSeq", anchor + 1).detail("toSeq", upTo).detail("count", count)
                .detail("cutoff", cutoff.toString()));
        return count;
    }
}
