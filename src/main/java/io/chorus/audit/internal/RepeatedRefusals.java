package io.chorus.audit.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps refusals from flooding the permanent trail: anyone can send a refused request in a loop.
 * The first refusal of an (actor, action, target) is an entry at once and opens a window; its
 * repeats within the window only count, and become one {@code security.access_denied_repeated}
 * entry with their count, first and last time when the window closes. An actor's refusals past
 * {@code distinctTargetsPerActor} targets in a window (a random id in every path) all count into
 * one row with target {@code *}. Nothing a user did is dropped; a flood costs a few entries per
 * window. The tally lives in the database, so a flood spread over several nodes is one count.
 */
@Component
public class RepeatedRefusals {

    static final String REPEATED = "security.access_denied_repeated";
    private static final String ANY = "*";

    private final JdbcClient jdbc;
    private final ActivityLog log;
    private final TransactionTemplate transactions;
    private final AuditProperties.Refusals settings;
    private final Clock clock;

    RepeatedRefusals(JdbcClient jdbc, ActivityLog log, TransactionTemplate transactions, AuditProperties properties,
            Clock clock) {
        this.jdbc = jdbc;
        this.log = log;
        this.transactions = transactions;
        this.settings = properties.refusals();
        this.clock = clock;
    }

    /** Records {@code refusal} (at its time), or counts it; call inside the listener's transaction. */
    void refused(Activity refusal) {
        String actor = refusal.actorId != null ? refusal.actorId.toString()
                : refusal.sourceIp != null ? "ip:" + refusal.sourceIp
                : refusal.sessionId != null ? "session:" + refusal.sessionId : "unknown";
        // One actor's refusals one at a time, on every node: the count of open windows stays exact.
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended('audit.refusal_tally:' || :actor, 0))")
                .param("actor", actor).query().singleRow();
        Timestamp at = Timestamp.from(refusal.at == null ? clock.instant() : refusal.at);
        if (repeat(actor, refusal.action, refusal.targetType, refusal.targetId, at) > 0) {
            return;
        }
        long open = jdbc.sql("""
                SELECT count(*) FROM audit.refusal_tally WHERE actor = :actor AND target_id <> '*'
                """).param("actor", actor).query(Long.class).single();
        if (open >= settings.distinctTargetsPerActor()) {
            if (repeat(actor, refusal.action, ANY, ANY, at) == 0) {
                open(actor, refusal, ANY, ANY, at, 1, refusal.targetId);
            }
            return;
        }
        open(actor, refusal, refusal.targetType, refusal.targetId, at, 0, null);
        log.record(refusal);
    }

    private int repeat(String actor, String action, String targetType, String targetId, Timestamp at) {
        return jdbc.sql("""
                UPDATE audit.refusal_tally
                SET repeats = repeats + 1, first_repeat_at = LEAST(first_repeat_at, :at),
                    last_repeat_at = GREATEST(last_repeat_at, :at)
                WHERE actor = :actor AND action = :action AND target_type = :targetType AND target_id = :targetId
                """).param("actor", actor).param("action", action).param("targetType", nullToEmpty(targetType))
                .param("targetId", nullToEmpty(targetId)).param("at", at).update();
    }

    private void open(String actor, Activity refusal, String targetType, String targetId, Timestamp at, int repeats,
            String sample) {
        jdbc.sql("""
                INSERT INTO audit.refusal_tally (actor, action, target_type, target_id, actor_id, source_ip,
                                                 session_id, opened_at, repeats, first_repeat_at, last_repeat_at,
                                                 sample_target)
                VALUES (:actor, :action, :targetType, :targetId, :actorId, :ip, :session, :at, :repeats,
                        CASE WHEN :repeats > 0 THEN CAST(:at AS timestamptz) END,
                        CASE WHEN :repeats > 0 THEN CAST(:at AS timestamptz) END, :sample)
                """).param("actor", actor).param("action", refusal.action)
                .param("targetType", nullToEmpty(targetType)).param("targetId", nullToEmpty(targetId))
                .param("actorId", refusal.actorId).param("ip", refusal.sourceIp).param("session", refusal.sessionId)
                .param("at", at).param("repeats", repeats).param("sample", sample).update();
    }

    private record Window(String actor, String action, String targetType, String targetId, UUID actorId,
            String sourceIp, String sessionId, Instant openedAt, int repeats, Instant firstRepeatAt,
            Instant lastRepeatAt, String sampleTarget) {
    }

    /**
     * Closes every window opened at least a window before {@code now}: each with repeats becomes
     * one entry, in the transaction that deletes it, so a window is recorded once even when several
     * nodes close windows at the same time. Returns how many windows closed.
     */
    public int closeWindows(Instant now) {
        Timestamp cutoff = Timestamp.from(now.minus(settings.window()));
        return transactions.execute(status -> {
            List<Window> closed = jdbc.sql("""
                    DELETE FROM audit.refusal_tally WHERE opened_at <= :cutoff
                    RETURNING actor, action, target_type, target_id, actor_id, source_ip, session_id, opened_at,
                              repeats, first_repeat_at, last_repeat_at, sample_target
                    """).param("cutoff", cutoff).query((rs, n) -> new Window(rs.getString(1), rs.getString(2),
                    rs.getString(3), rs.getString(4), rs.getObject(5, UUID.class), rs.getString(6), rs.getString(7),
                    rs.getTimestamp(8).toInstant(), rs.getInt(9), instant(rs.getTimestamp(10)),
                    instant(rs.getTimestamp(11)), rs.getString(12))).list();
            for (Window window : closed) {
                if (window.repeats() > 0) {
                    log.record(Activity.of(REPEATED, REPEATED + ":" + window.actor() + ":" + window.action() + ":"
                                    + window.targetType() + ":" + window.targetId() + ":" + window.openedAt())
                            .at(window.lastRepeatAt()).by(window.actorId())
                            .target(emptyToNull(window.targetType()), emptyToNull(window.targetId()))
                            .from(window.sourceIp(), window.sessionId())
                            .detail("refusedAction", window.action()).detail("count", window.repeats())
                            .detail("firstAt", window.firstRepeatAt().toString())
                            .detail("lastAt", window.lastRepeatAt().toString())
                            .detail("windowOpenedAt", window.openedAt().toString())
                            .detail("window", settings.window().toString())
                            .detail("sampleTarget", window.sampleTarget()));
                }
            }
            return closed.size();
        });
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
