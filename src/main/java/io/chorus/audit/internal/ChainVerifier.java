package io.chorus.audit.internal;

import io.chorus.audit.AuditEntry;
import io.chorus.audit.ChainVerification;
import io.chorus.audit.ChainVerification.Break;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Walks the chain recomputing every hash. An entry changed in place no longer gives its hash;
 * a deleted one leaves a gap in the seqs (or, at the end, a head pointing past the last entry);
 * an entry moved or re-hashed no longer points at its predecessor; checkpoints catch a chain
 * rewritten consistently from some entry on. The first such entry is reported; a checkpoint
 * signed by a configured key that is no longer trusted only when nothing else is wrong.
 */
@Component
public class ChainVerifier {

    private final EntryStore entries;
    private final CheckpointStore checkpoints;
    private final CheckpointSigner signer;

    ChainVerifier(EntryStore entries, CheckpointStore checkpoints, CheckpointSigner signer) {
        this.entries = entries;
        this.checkpoints = checkpoints;
        this.signer = signer;
    }

    /** Verifies {@code fromSeq..toSeq} (null: from the first, to the head). */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public ChainVerification verify(Long fromSeq, Long toSeq) {
        EntryStore.Head head = entries.head();
        // Entries up to the anchor were removed by retention; the kept chain starts after it.
        EntryStore.Head anchor = entries.anchor();
        long from = Math.max(anchor.seq() + 1, fromSeq == null ? 1 : fromSeq);
        long to = toSeq == null ? head.seq() : Math.min(toSeq, head.seq());
        Walk walk = new Walk(from);
        if (from == anchor.seq() + 1) {
            walk.previous = anchor.hash();
        } else {
            byte[] before = entries.hashAt(from - 1).orElse(null);
            if (before == null) {
                walk.broken(new Break(from - 1, "ENTRY_MISSING", "The entry before the range is missing."));
            }
            walk.previous = before;
        }
        if (walk.broken == null && from <= to) {
            entries.walk(from, to, walk::check);
            if (walk.broken == null && walk.expected <= to) {
                walk.broken(new Break(walk.expected, "ENTRY_MISSING",
                        "The chain head is entry " + head.seq() + " but the entries end at " + (walk.expected - 1)
                                + "."));
            }
            // The newest entry re-hashed in place would fit its predecessor; the head remembers its hash.
            if (walk.broken == null && to == head.seq() && !Arrays.equals(walk.previous, head.hash())) {
                walk.broken(new Break(head.seq(), "HASH_MISMATCH",
                        "The newest entry's hash is not the one the chain head recorded."));
            }
        }
        // A checkpoint past the head means entries were cut off the end and the head wound back.
        for (CheckpointStore.Stored beyond : checkpoints.inRange(head.seq() + 1, Long.MAX_VALUE)) {
            walk.broken(new Break(head.seq() + 1, "ENTRY_MISSING", "Checkpoint " + beyond.id() + " signed entry "
                    + beyond.seq() + ", beyond the chain head " + head.seq() + "."));
        }
        int checkpointsChecked = 0;
        // A key that is not trusted is reported only when nothing worse is found: a real break
        // must never hide behind a forgotten rotation.
        Break untrusted = null;
        long firstTrusted = firstTrustedId();
        for (CheckpointStore.Stored checkpoint : checkpoints.inRange(from, to)) {
            checkpointsChecked++;
            byte[] stored = entries.hashAt(checkpoint.seq()).orElse(null);
            CheckpointSigner.Standing standing = signer.standing(checkpoint);
            if (standing == CheckpointSigner.Standing.UNSIGNED && checkpoint.id() > firstTrusted) {
                // The origin is a column, not part of what was signed: "generated" is believed only
                // of checkpoints from before a trusted key signed any. Later, it is how someone who
                // rewrote the chain would pass off checkpoints signed with a key of their own.
                if (untrusted == null || checkpoint.seq() < untrusted.seq()) {
                    untrusted = new Break(checkpoint.seq(), "UNTRUSTED_KEY", "Checkpoint " + checkpoint.id()
                            + " was signed with key " + checkpoint.keyId() + ", generated at start or unrecorded, "
                            + "after checkpoint " + firstTrusted + " was already signed with a trusted key: either the signing key was left out of a start, or someone signed with a key of "
                            + "their own.");
                }
                continue;
            }
            if (standing == CheckpointSigner.Standing.INVALID) {
                walk.broken(new Break(checkpoint.seq(), "CHECKPOINT_MISMATCH",
                        "Checkpoint " + checkpoint.id() + " has an invalid signature."));
            } else if (stored == null || !Arrays.equals(stored, checkpoint.hash())) {
                walk.broken(new Break(checkpoint.seq(), "CHECKPOINT_MISMATCH",
                        "Entry " + checkpoint.seq() + " no longer has the hash checkpoint " + checkpoint.id()
                                + " signed."));
            } else if (standing == CheckpointSigner.Standing.UNTRUSTED_KEY
                    && (untrusted == null || checkpoint.seq() < untrusted.seq())) {
                untrusted = new Break(checkpoint.seq(), "UNTRUSTED_KEY", "Checkpoint " + checkpoint.id()
                        + " was signed with configured key " + checkpoint.keyId() + ", which is neither the signing "
                        + "key nor one of chorus.audit.checkpoints.trusted-public-keys: list its public key there "
                        + "if it was an earlier key of yours; otherwise someone signed with a key of their own.");
            }
        }
        if (walk.broken == null) {
            walk.broken = untrusted;
        }
        return new ChainVerification(walk.broken == null, from, to, walk.checked, head.seq(), checkpointsChecked,
                walk.broken);
    }

    /** The id of the first checkpoint (in signing order) that a trusted key signed; MAX_VALUE if none. */
    private long firstTrustedId() {
        // Page by page: it is nearly always among the first, and a year of hourly checkpoints is
        // thousands of rows no verification should read twice.
        long after = 0;
        List<CheckpointStore.Stored> page;
        do {
            page = checkpoints.after(after, 100);
            for (CheckpointStore.Stored checkpoint : page) {
                if (signer.standing(checkpoint) == CheckpointSigner.Standing.TRUSTED) {
                    return checkpoint.id();
                }
                after = checkpoint.id();
            }
        } while (!page.isEmpty());
        return Long.MAX_VALUE;
    }

    private static final class Walk {
        long expected;
        long checked;
        byte[] previous;
        Break broken;

        Walk(long from) {
            this.expected = from;
        }

        void check(EntryStore.Row row) {
            if (broken != null) {
                return; // keep reading the cursor to its end cheaply; the answer is known
            }
            AuditEntry e = row.entry();
            checked++;
            if (e.seq() != expected) {
                broken(new Break(expected, "ENTRY_MISSING", "Entries " + expected + ".." + (e.seq() - 1)
                        + " are missing."));
                return;
            }
            byte[] recomputed = EntryHash.of(new EntryHash.Content(e.seq(), e.eventKey(), e.occurredAt(),
                    e.recordedAt(), e.actorType().name(), e.actorId(), e.action(), e.targetType(), e.targetId(),
                    e.conversationId(), e.departmentId(), e.sourceIp(), e.sessionId(), e.detail(), row.prevHash()));
            if (!Arrays.equals(recomputed, row.hash())) {
                broken(new Break(e.seq(), "HASH_MISMATCH", "The entry's content does not give its stored hash."));
                return;
            }
            if (!Arrays.equals(row.prevHash(), previous)) {
                broken(new Break(e.seq(), "CHAIN_BROKEN", "The entry does not point at the entry before it."));
                return;
            }
            previous = row.hash();
            expected++;
        }

        void broken(Break found) {
            if (broken == null || found.seq() < broken.seq()) {
                broken = found;
            }
        }
    }
}
