package io.chorus.integration.internal;

import static io.chorus.integration.internal.SubscriptionStore.instant;

import io.chorus.integration.Subscriptions.Attempt;
import io.chorus.integration.Subscriptions.Delivery;
import io.chorus.integration.Subscriptions.Status;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The delivery queue and its log, in PostgreSQL: nothing is lost when a node stops mid-retry, and
 * a claim (a lease, committed before the request leaves) keeps two nodes from sending the same
 * delivery at once.
 */
@Component
class DeliveryStore {

    private static final String COLUMNS = "id, subscription_id, event_id, event_type, status, attempts, last_status,"
            + " last_latency_ms, last_error, created_at, next_attempt_at, delivered_at, replay_of";

    /** One event for one subscription, to be sent. */
    record NewDelivery(UUID subscriptionId, UUID eventId, String eventType, String payload) {
    }

    /** A delivery this node leased: the request may leave. {@code attempt} counts this one. */
    record Claimed(UUID id, UUID subscriptionId, String eventType, String payload, int attempt, Instant leaseUntil) {
    }

    /**
     * Subscriptions with something due and nothing in flight, most overdue first. One with a
     * delivery in flight (on this node or another) could lease nothing now; were it listed, it
     * would take a place of the batch from one that can, and the oldest backlogs, always first,
     * would keep every node's batch full of subscriptions it cannot serve.
     */
    static final String DUE_SUBSCRIPTIONS = """
            SELECT d.subscription_id FROM integration.delivery d
            WHERE d.status = 'PENDING' AND d.next_attempt_at <= :now
              AND (d.lease_until IS NULL OR d.lease_until <= :now)
              AND NOT EXISTS (SELECT 1 FROM integration.delivery busy
                              WHERE busy.subscription_id = d.subscription_id AND busy.status = 'PENDING'
                                AND busy.lease_until > :now)
            GROUP BY d.subscription_id
            ORDER BY min(d.next_attempt_at)
            LIMIT :limit
            """;

    /**
     * Taken in the claiming transaction, one per subscription, without waiting: a subscription
     * another node is claiming right now is left to it. Held to commit, so the claim statement
     * that follows sees every lease committed before the lock was granted.
     */
    static final String LOCK_SUBSCRIPTIONS = """
            SELECT s.id FROM unnest(CAST(:subscriptions AS uuid[])) AS s(id)
            WHERE pg_try_advisory_xact_lock(hashtextextended('integration.subscription:' || s.id, 0))
            """;

    /**
     * The oldest due delivery of each locked subscription that has none in flight (one request at
     * a time per endpoint), leased and its attempt counted.
     */
    static final String CLAIM = """
            UPDATE integration.delivery d SET lease_until = :lease, attempts = d.attempts + 1
            FROM (
                SELECT DISTINCT ON (c.subscription_id) c.id FROM integration.delivery c
                WHERE c.subscription_id = ANY(CAST(:subscriptions AS uuid[])) AND c.status = 'PENDING'
                  AND c.next_attempt_at <= :now AND (c.lease_until IS NULL OR c.lease_until <= :now)
                  AND NOT EXISTS (SELECT 1 FROM integration.delivery busy
                                  WHERE busy.subscription_id = c.subscription_id AND busy.status = 'PENDING'
                                    AND busy.lease_until > :now)
                ORDER BY c.subscription_id, c.next_attempt_at, c.created_at
            ) pick
            WHERE d.id = pick.id AND d.status = 'PENDING' AND (d.lease_until IS NULL OR d.lease_until <= :now)
            RETURNING d.id, d.subscription_id, d.event_type, CAST(d.payload AS text) AS payload, d.attempts,
                d.lease_until
            """;

    /** A page of a subscription's log, newest first. */
    static final String PAGE = "SELECT " + COLUMNS + " FROM integration.delivery WHERE subscription_id = :subscription"
            + " AND (CAST(:status AS text) IS NULL OR status = :status)"
            + " AND (CAST(:beforeAt AS timestamptz) IS NULL OR (created_at, id) < (:beforeAt, :beforeId))"
            + " ORDER BY created_at DESC, id DESC LIMIT :limit";

    /** A disabled subscription's waiting deliveries (not those in flight). */
    static final String CANCEL_PENDING = """
            UPDATE integration.delivery SET status = 'CANCELLED', last_error = :reason
            WHERE subscription_id = :subscription AND status = 'PENDING'
              AND (lease_until IS NULL OR lease_until <= :now)
            """;

    /** Retention: a batch of finished deliveries older than the cutoff. */
    static final String PURGE_FINISHED = """
            DELETE FROM integration.delivery WHERE id IN (
                SELECT id FROM integration.delivery
                WHERE status <> 'PENDING' AND created_at < :cutoff
                LIMIT :batch)
            """;

    private static final RowMapper<Delivery> DELIVERY = DeliveryStore::delivery;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    DeliveryStore(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * One delivery, only while its subscription exists and is enabled. The in-memory index may be
     * older than the table (another node deleted or switched off the subscription within the
     * index's TTL): such a subscription gets nothing, instead of a foreign-key violation that would
     * roll back the sender's message. {@code FOR KEY SHARE} closes the race with a delete
     * committing meanwhile: either the row is locked (the delete waits for this transaction and
     * takes the new row with it) or it is gone and nothing is inserted, so the foreign-key check
     * that follows cannot fail.
     */
    static final String ENQUEUE = """
            INSERT INTO integration.delivery (id, subscription_id, event_id, event_type, payload, status,
                next_attempt_at, created_at)
            SELECT :id, s.id, :event, :type, CAST(:payload AS jsonb), 'PENDING', :at, :at
            FROM (SELECT id FROM integration.subscription WHERE id = :subscription AND enabled FOR KEY SHARE) s
            ON CONFLICT (subscription_id, event_id) WHERE replay_of IS NULL DO NOTHING
            """;

    /**
     * Due at once. A redelivered event adds nothing (one row per event per subscription), nor does
     * a subscription deleted or switched off meanwhile.
     */
    int enqueue(Collection<NewDelivery> deliveries, Instant at) {
        int added = 0;
        for (NewDelivery delivery : deliveries) {
            added += jdbc.sql(ENQUEUE)
                    .param("id", UUID.randomUUID()).param("subscription", delivery.subscriptionId())
                    .param("event", delivery.eventId()).param("type", delivery.eventType())
                    .param("payload", delivery.payload()).param("at", Timestamp.from(at))
                    .update();
        }
        return added;
    }

    /** Leases up to {@code limit} due deliveries, at most one per subscription, in a short transaction of its own. */
    List<Claimed> claim(Instant now, Instant leaseUntil, int limit) {
        return transactions.execute(status -> {
            List<UUID> due = jdbc.sql(DUE_SUBSCRIPTIONS).param("now", Timestamp.from(now)).param("limit", limit)
                    .query(UUID.class).list();
            if (due.isEmpty()) {
                return List.of();
            }
            return lockAndClaim(due, now, leaseUntil);
        });
    }

    /**
     * The next due delivery of one subscription, if it has one and nothing in flight: a worker
     * that just finished one of its deliveries goes on with the next without waiting for a poll.
     */
    Optional<Claimed> claimNext(UUID subscription, Instant now, Instant leaseUntil) {
        return transactions.execute(status -> lockAndClaim(List.of(subscription), now, leaseUntil)).stream()
                .findFirst();
    }

    private List<Claimed> lockAndClaim(List<UUID> subscriptions, Instant now, Instant leaseUntil) {
        List<UUID> mine = jdbc.sql(LOCK_SUBSCRIPTIONS).param("subscriptions", subscriptions.toArray(UUID[]::new))
                .query(UUID.class).list();
        if (mine.isEmpty()) {
            return List.of();
        }
        return jdbc.sql(CLAIM).param("subscriptions", mine.toArray(UUID[]::new))
                .param("now", Timestamp.from(now)).param("lease", Timestamp.from(leaseUntil))
                .query((rs, row) -> new Claimed(rs.getObject("id", UUID.class),
                        rs.getObject("subscription_id", UUID.class), rs.getString("event_type"),
                        rs.getString("payload"), rs.getInt("attempts"), instant(rs.getTimestamp("lease_until"))))
                .list();
    }

    /** What one attempt brought; the log keeps every one. */
    record Outcome(Instant startedAt, int statusCode, long latencyMs, String error, String response) {
    }

    /**
     * Records an attempt and what follows from it: {@code next} null finishes the delivery with
     * {@code status}, else it is due again then. Only the holder of the lease changes the row (a
     * node so slow its lease ran out has been overtaken).
     */
    void record(Claimed claimed, Outcome outcome, Status status, Instant next, Instant at) {
        transactions.executeWithoutResult(tx -> {
            jdbc.sql("""
                    INSERT INTO integration.delivery_attempt (delivery_id, attempt, started_at, status_code,
                        latency_ms, error, response)
                    VALUES (:id, :attempt, :started, :code, :latency, :error, :response)
                    ON CONFLICT DO NOTHING
                    """)
                    .param("id", claimed.id()).param("attempt", claimed.attempt())
                    .param("started", Timestamp.from(outcome.startedAt())).param("code", outcome.statusCode())
                    .param("latency", (int) Math.min(Integer.MAX_VALUE, outcome.latencyMs()))
                    .param("error", outcome.error()).param("response", outcome.response())
                    .update();
            jdbc.sql("""
                    UPDATE integration.delivery SET status = :status, lease_until = NULL,
                        next_attempt_at = coalesce(CAST(:next AS timestamptz), next_attempt_at),
                        last_status = :code, last_error = :error, last_latency_ms = :latency,
                        delivered_at = CASE WHEN :status = 'SUCCEEDED' THEN CAST(:at AS timestamptz) END
                    WHERE id = :id AND lease_until = :lease
                    """)
                    .param("id", claimed.id()).param("lease", Timestamp.from(claimed.leaseUntil()))
                    .param("status", status.name()).param("next", next == null ? null : Timestamp.from(next))
                    .param("code", outcome.statusCode() == 0 ? null : outcome.statusCode())
                    .param("error", outcome.error()).param("latency", (int) Math.min(Integer.MAX_VALUE,
                            outcome.latencyMs()))
                    .param("at", Timestamp.from(at))
                    .update();
        });
    }

    /** Ends a claimed delivery without sending it (its subscription was switched off, its bot is inactive). */
    void cancel(Claimed claimed, String reason) {
        jdbc.sql("UPDATE integration.delivery SET status = 'CANCELLED', lease_until = NULL, last_error = :reason"
                        + " WHERE id = :id AND lease_until = :lease")
                .param("id", claimed.id()).param("lease", Timestamp.from(claimed.leaseUntil()))
                .param("reason", reason).update();
    }

    /** Every delivery of the subscription still waiting (and not in flight) is cancelled. */
    int cancelPending(UUID subscription, String reason, Instant now) {
        return jdbc.sql(CANCEL_PENDING)
                .param("subscription", subscription).param("reason", reason).param("now", Timestamp.from(now))
                .update();
    }

    /** Newest first; {@code before} is the last row of the previous page. */
    List<Delivery> page(UUID subscription, Status status, Instant beforeCreatedAt, UUID beforeId, int limit) {
        return jdbc.sql(PAGE)
                .param("subscription", subscription).param("status", status == null ? null : status.name())
                .param("beforeAt", beforeCreatedAt == null ? null : Timestamp.from(beforeCreatedAt))
                .param("beforeId", beforeId).param("limit", limit)
                .query(DELIVERY).list();
    }

    Optional<Delivery> find(UUID subscription, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM integration.delivery WHERE id = :id"
                        + " AND subscription_id = :subscription")
                .param("id", id).param("subscription", subscription).query(DELIVERY).optional();
    }

    String payload(UUID id) {
        return jdbc.sql("SELECT CAST(payload AS text) FROM integration.delivery WHERE id = :id").param("id", id)
                .query(String.class).single();
    }

    List<Attempt> attempts(UUID delivery) {
        return jdbc.sql("SELECT attempt, started_at, status_code, latency_ms, error, response"
                        + " FROM integration.delivery_attempt WHERE delivery_id = :id ORDER BY attempt")
                .param("id", delivery)
                .query((rs, row) -> new Attempt(rs.getInt("attempt"), instant(rs.getTimestamp("started_at")),
                        rs.getInt("status_code"), rs.getLong("latency_ms"), rs.getString("error"),
                        rs.getString("response")))
                .list();
    }

    /** A new delivery of the same event and payload, due now. */
    Delivery replay(UUID subscription, UUID original, Instant at) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO integration.delivery (id, subscription_id, event_id, event_type, payload, status,
                    next_attempt_at, created_at, replay_of)
                SELECT :id, subscription_id, event_id, event_type, payload, 'PENDING', :at, :at, id
                FROM integration.delivery WHERE id = :original AND subscription_id = :subscription
                """)
                .param("id", id).param("original", original).param("subscription", subscription)
                .param("at", Timestamp.from(at)).update();
        return find(subscription, id).orElseThrow();
    }

    int countOriginals(UUID subscription, Instant from, Instant to) {
        return jdbc.sql("SELECT count(*) FROM integration.delivery WHERE subscription_id = :subscription"
                        + " AND replay_of IS NULL AND created_at >= :from AND created_at < :to")
                .param("subscription", subscription).param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to)).query(Integer.class).single();
    }

    /** Replays of every original delivery made in {@code [from, to)}, due a microsecond apart to keep their order. */
    int replayRange(UUID subscription, Instant from, Instant to, Instant at) {
        return jdbc.sql("""
                INSERT INTO integration.delivery (id, subscription_id, event_id, event_type, payload, status,
                    next_attempt_at, created_at, replay_of)
                SELECT gen_random_uuid(), subscription_id, event_id, event_type, payload, 'PENDING',
                    due, due, id
                FROM (SELECT *, CAST(:at AS timestamptz)
                                + row_number() OVER (ORDER BY created_at, id) * interval '1 microsecond' AS due
                      FROM integration.delivery
                      WHERE subscription_id = :subscription AND replay_of IS NULL
                        AND created_at >= :from AND created_at < :to) originals
                """)
                .param("subscription", subscription).param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to)).param("at", Timestamp.from(at)).update();
    }

    /** Removes up to {@code batch} finished deliveries made before {@code cutoff}; their attempts go with them. */
    int purgeFinished(Instant cutoff, int batch) {
        return jdbc.sql(PURGE_FINISHED)
                .param("cutoff", Timestamp.from(cutoff)).param("batch", batch).update();
    }

    private static Delivery delivery(ResultSet rs, int rowNum) throws SQLException {
        Status status = Status.valueOf(rs.getString("status"));
        return new Delivery(rs.getObject("id", UUID.class), rs.getObject("subscription_id", UUID.class),
                rs.getObject("event_id", UUID.class), rs.getString("event_type"), status, rs.getInt("attempts"),
                (Integer) rs.getObject("last_status"),
                rs.getObject("last_latency_ms") == null ? null : rs.getLong("last_latency_ms"),
                rs.getString("last_error"), instant(rs.getTimestamp("created_at")),
                status == Status.PENDING ? instant(rs.getTimestamp("next_attempt_at")) : null,
                instant(rs.getTimestamp("delivered_at")), rs.getObject("replay_of", UUID.class));
    }
}
