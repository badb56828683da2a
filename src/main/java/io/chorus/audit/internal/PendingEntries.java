package io.chorus.audit.internal;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Where listeners put what they record. An insert is all a listener does, so many can run at
 * once without waiting on the chain; the chain writer links them afterwards, in id order.
 */
@Repository
public class PendingEntries {

    private final JdbcClient jdbc;
    private final ChainWriter chain;

    PendingEntries(JdbcClient jdbc, ChainWriter chain) {
        this.jdbc = jdbc;
        this.chain = chain;
    }

    /** Records the entry unless an entry for the same event exists already (a redelivery). */
    public void add(AuditRecord record) {
        jdbc.sql("""
                INSERT INTO audit.pending_entry (event_key, occurred_at, actor_type, actor_id, action, target_type,
                                                 target_id, conversation_id, department_id, source_ip, session_id,
                                                 detail)
                SELECT :key, :at, :actorType, :actorId, :action, :targetType, :targetId, :conversation, :department,
                       :ip, :session, :detail
                WHERE NOT EXISTS (SELECT 1 FROM audit.entry WHERE event_key = :key)
                ON CONFLICT (event_key) DO NOTHING
                """)
                .param("key", record.eventKey())
                .param("at", java.sql.Timestamp.from(record.occurredAt()))
                .param("actorType", record.actorType().name())
                .param("actorId", record.actorId())
                .param("action", record.action())
                .param("targetType", record.targetType())
                .param("targetId", record.targetId())
                .param("conversation", record.conversationId())
                .param("department", record.departmentId())
                .param("ip", record.sourceIp())
                .param("session", record.sessionId())
                .param("detail", record.detail())
                .update();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    chain.wake();
                }
            });
        } else {
            chain.wake();
        }
    }
}
