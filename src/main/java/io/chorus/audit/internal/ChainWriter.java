package io.chorus.audit.internal;

import io.chorus.platform.DatabaseUnavailable;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Links pending entries into the chain, one writer at a time, oldest event first (listeners
 * commit in no particular order; events of one transaction share a time and keep the order in
 * which their listeners recorded them): each batch holds the row lock of
 * {@code audit.chain_head}, so even several nodes append in a single order. Each entry's hash
 * covers its content and the previous entry's hash. A batch is one transaction: a crash loses
 * nothing, since the pending rows stay until the entries that replace them commit.
 */
@Component
public class ChainWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChainWriter.class);

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final TransactionTemplate transactions;
    private final AuditProperties properties;
    private final Clock clock;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private volatile ScheduledExecutorService executor;
    /** Why the last drain failed, until one succeeds again: health reports it. */
    private volatile Failure failure;

    /** A drain that failed: when, and the database's reason (never entry contents). */
    record Failure(Instant at, String cause) {
    }

    ChainWriter(JdbcClient jdbc, JdbcTemplate batch, TransactionTemplate transactions, AuditProperties properties,
            Clock clock) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Asks for a drain after the linger; every wake until it starts joins that one drain, so
     * under load one transaction chains the entries of many messages.
     */
    void wake() {
        ScheduledExecutorService running = executor;
        if (running != null && wakeQueued.compareAndSet(false, true)) {
            try {
                running.schedule(() -> {
                    wakeQueued.set(false);
                    drainQuietly();
                }, properties.chainLinger().toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException stopping) {
                wakeQueued.set(false);
            }
        }
    }

    /**
     * Chains everything pending now; returns how many entries were appended. A batch smaller than
     * the batch size took all there was, so no empty transaction follows it.
     */
    public int drain() {
        int total = 0;
        int appended;
        do {
            appended = transactions.execute(status -> appendBatch());
            total += appended;
        } while (appended >= properties.chainBatchSize());
        return total;
    }

    private void drainQuietly() {
        try {
            drain();
            failure = null;
        } catch (RuntimeException retryLater) {
            Throwable cause = org.springframework.core.NestedExceptionUtils.getMostSpecificCause(retryLater);
            failure = new Failure(clock.instant(), cause.getClass().getSimpleName() + ": " + cause.getMessage());
            if (DatabaseUnavailable.isCause(retryLater)) {
                // Logged once for the whole outage (DatabaseAvailability); health shows the failure meanwhile.
                log.debug("Chaining pending audit entries waits for the database", retryLater);
            } else {
                log.warn("Could not chain pending audit entries; trying again in {}", properties.chainInterval(),
                        retryLater);
            }
        }
    }

    /** Why chaining fails right now, if it does. */
    java.util.Optional<Failure> failure() {
        return java.util.Optional.ofNullable(failure);
    }

    private record Head(long seq, byte[] hash) {
    }

    private record Pending(long id, String eventKey, Instant occurredAt, String actorType, UUID actorId,
            String action, String targetType, String targetId, UUID conversationId, UUID departmentId,
            String sourceIp, String sessionId, String detail) {
    }

    private int appendBatch() {
        Head head = jdbc.sql("SELECT last_seq, last_hash FROM audit.chain_head FOR UPDATE")
                .query((rs, n) -> new Head(rs.getLong(1), rs.getBytes(2))).single();
        List<Pending> pending = jdbc.sql("""
                SELECT id, event_key, occurred_at, actor_type, actor_id, action, target_type, target_id,
                       conversation_id, department_id, source_ip, session_id, detail
                FROM audit.pending_entry ORDER BY occurred_at, id LIMIT :n
                """)
                .param("n", properties.chainBatchSize())
                .query((rs, n) -> new Pending(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        rs.getString(4), rs.getObject(5, UUID.class), rs.getString(6), rs.getString(7),
                        rs.getString(8), rs.getObject(9, UUID.class), rs.getObject(10, UUID.class), rs.getString(11),
                        rs.getString(12), rs.getString(13)))
                .list();
        if (pending.isEmpty()) {
            return 0;
        }
        // A redelivered event can reach pending again after its first entry was chained.
        Set<String> chained = new HashSet<>(jdbc.sql("SELECT event_key FROM audit.entry WHERE event_key = ANY(:keys)")
                .param("keys", pending.stream().map(Pending::eventKey).toArray(String[]::new))
                .query(String.class).list());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        long seq = head.seq();
        byte[] previous = head.hash();
        List<Object[]> rows = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            if (!chained.add(p.eventKey())) {
                continue;
            }
            seq++;
            byte[] hash = EntryHash.of(new EntryHash.Content(seq, p.eventKey(), p.occurredAt(), now, p.actorType(),
                    p.actorId(), p.action(), p.targetType(), p.targetId(), p.conversationId(), p.departmentId(),
                    p.sourceIp(), p.sessionId(), p.detail(), previous));
            rows.add(new Object[] {seq, p.eventKey(), Timestamp.from(p.occurredAt()), Timestamp.from(now),
                    p.actorType(), p.actorId(), p.action(), p.targetType(), p.targetId(), p.conversationId(),
                    p.departmentId(), p.sourceIp(), p.sessionId(), p.detail(), previous, hash});
            previous = hash;
        }
        if (!rows.isEmpty()) {
            batchInsert(rows);
        }
        jdbc.sql("DELETE FROM audit.pending_entry WHERE id = ANY(:ids)")
                .param("ids", pending.stream().map(Pending::id).toArray(Long[]::new)).update();
        jdbc.sql("UPDATE audit.chain_head SET last_seq = :seq, last_hash = :hash")
                .param("seq", seq).param("hash", previous).update();
        return pending.size();
    }

    private void batchInsert(List<Object[]> rows) {
        batch.batchUpdate("""
                INSERT INTO audit.entry (seq, event_key, occurred_at, recorded_at, actor_type, actor_id, action,
                                         target_type, target_id, conversation_id, department_id, source_ip,
                                         session_id, detail, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, rows);
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "audit-chain-writer");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.chainInterval().toMillis();
        started.scheduleWithFixedDelay(this::drainQuietly, interval, interval, TimeUnit.MILLISECONDS);
        executor = started;
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = executor;
        executor = null;
        if (running != null) {
            running.shutdown();
            try {
                running.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
