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
    /** The function's batch size: a full batch means more may have expired. */
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

    /**
     * One batch, through {@code audit.remove_entries_recorded_before} (V26): it runs as the schema
     * owner, so the application's role needs no DELETE on entries, and it applies the rules above
     * (a prefix, at most 10,000 entries, the anchor recorded) inside the database.
     */
    private long purgeBatch(Instant cutoff) {
        Optional<Removed> removed = jdbc.sql("SELECT from_seq, to_seq, removed FROM "
                        + "audit.remove_entries_recorded_before(:cutoff)")
                .param("cutoff", Timestamp.from(cutoff))
                .query((rs, n) -> new Removed(rs.getLong(1), rs.getLong(2), rs.getLong(3))).optional();
        if (removed.isEmpty()) {
            return 0;
        }
        Removed batch = removed.get();
        activity.record(Activity.of("audit.entries_removed", "retention:" + UUID.randomUUID())
                .detail("fromSeq", batch.fromSeq()).detail("toSeq", batch.toSeq()).detail("count", batch.count())
                .detail("cutoff", cutoff.toString()));
        return batch.count();
    }

    private record Removed(long fromSeq, long toSeq, long count) {
    }
}
