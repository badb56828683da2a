package io.chorus.audit;

import io.chorus.audit.internal.Activity;
import io.chorus.audit.internal.ActivityLog;
import io.chorus.audit.internal.AuditProperties;
import io.chorus.audit.internal.ChainVerifier;
import io.chorus.audit.internal.ChainWriter;
import io.chorus.audit.internal.CheckpointSigner;
import io.chorus.audit.internal.CheckpointStore;
import io.chorus.audit.internal.EntryStore;
import io.chorus.identity.CurrentUser;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.PageCursor;
import io.chorus.platform.ProblemCodes;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The compliance officer's view of the trail: filtered pages, streamed exports, verification
 * and signed checkpoints. Every call is itself recorded in the trail, with its filters, before
 * it returns anything.
 */
@Service
public class AuditTrail {

    private final EntryStore entries;
    private final ChainWriter chain;
    private final ChainVerifier verifier;
    private final CheckpointSigner signer;
    private final CheckpointStore checkpoints;
    private final ComplianceScopes scopes;
    private final ActivityLog activity;
    private final AuditProperties properties;
    private final TransactionTemplate readOnly;

    AuditTrail(EntryStore entries, ChainWriter chain, ChainVerifier verifier, CheckpointSigner signer,
            CheckpointStore checkpoints, ComplianceScopes scopes, ActivityLog activity, AuditProperties properties,
            PlatformTransactionManager transactionManager) {
        this.entries = entries;
        this.chain = chain;
        this.verifier = verifier;
        this.signer = signer;
        this.checkpoints = checkpoints;
        this.scopes = scopes;
        this.activity = activity;
        this.properties = properties;
        this.readOnly = new TransactionTemplate(transactionManager);
        this.readOnly.setReadOnly(true);
    }

    /** One page of entries matching {@code filter} within the officer's scope, in chain order. */
    public AuditPage events(CurrentUser officer, AuditFilter filter, String cursor, int limit, String sourceIp) {
        filter.validated();
        long after = cursor == null ? 0 : parseCursor(cursor);
        int size = Math.clamp(limit, 1, properties.maxPageSize());
        ComplianceScope scope = scopes.of(officer.id());
        recordQuery("audit.events_queried", officer, filter, sourceIp, null);
        List<AuditEntry> rows = readOnly.execute(status ->
                entries.page(EntryStore.Where.of(filter, scope), after, size + 1));
        boolean more = rows.size() > size;
        List<AuditEntry> items = more ? rows.subList(0, size) : rows;
        return new AuditPage(items, more ? PageCursor.encode(Long.toString(items.getLast().seq())) : null);
    }

    /**
     * Every matching entry, handed to {@code sink} one at a time as the database cursor yields it:
     * memory stays flat however many entries match.
     */
    public void export(CurrentUser officer, AuditFilter filter, String format, String sourceIp,
            Consumer<AuditEntry> sink) {
        filter.validated();
        ComplianceScope scope = scopes.of(officer.id());
        recordQuery("audit.events_exported", officer, filter, sourceIp, format);
        readOnly.executeWithoutResult(status -> entries.stream(EntryStore.Where.of(filter, scope), sink));
    }

    /**
     * Chains whatever is still pending, then walks {@code fromSeq..toSeq} (null: the whole chain).
     * The verification itself is recorded after the walk, so it never changes what it checked.
     */
    public ChainVerification verify(CurrentUser officer, Long fromSeq, Long toSeq, String sourceIp) {
        if (fromSeq != null && toSeq != null && fromSeq > toSeq) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, "fromSeq must not be after toSeq.");
        }
        chain.drain();
        ChainVerification result = verifier.verify(fromSeq, toSeq);
        activity.record(Activity.of("audit.chain_verified", "query:" + UUID.randomUUID()).by(officer.id())
                .from(sourceIp, null).detail("fromSeq", result.fromSeq()).detail("toSeq", result.toSeq())
                .detail("intact", result.intact())
                .detail("firstBrokenSeq", result.firstBroken() == null ? null : result.firstBroken().seq()));
        return result;
    }

    /** Signed checkpoints after {@code afterId}, oldest first, for an outside party to keep. */
    public List<Checkpoint> checkpoints(CurrentUser officer, long afterId, int limit, String sourceIp) {
        activity.record(Activity.of("audit.checkpoints_exported", "query:" + UUID.randomUUID()).by(officer.id())
                .from(sourceIp, null).detail("afterId", afterId));
        return checkpoints.after(afterId, Math.clamp(limit, 1, properties.maxPageSize())).stream()
                .map(CheckpointStore.Stored::view).toList();
    }

    /** Chains what is pending and signs the head now. */
    public Checkpoint checkpointNow(CurrentUser officer, String sourceIp) {
        chain.drain();
        Checkpoint checkpoint = signer.checkpoint(false).orElseThrow().view();
        activity.record(Activity.of("audit.checkpoint_taken", "query:" + UUID.randomUUID()).by(officer.id())
                .from(sourceIp, null).detail("checkpointId", checkpoint.id()).detail("seq", checkpoint.seq()));
        return checkpoint;
    }

    /** Links every pending entry into the chain now; returns how many were linked. */
    public int flush() {
        return chain.drain();
    }

    /** Records a compliance query with its filters; other modules' compliance calls use it too. */
    public void recordQuery(String action, CurrentUser officer, AuditFilter filter, String sourceIp,
            String format) {
        Activity query = Activity.of(action, "query:" + UUID.randomUUID()).by(officer.id()).from(sourceIp, null)
                .detail("filters", filter.asDetail()).detail("format", format);
        activity.record(query);
    }

    private static long parseCursor(String cursor) {
        try {
            return Long.parseLong(PageCursor.decode(cursor, 1).getFirst());
        } catch (NumberFormatException notOurs) {
            throw PageCursor.malformed();
        }
    }
}
