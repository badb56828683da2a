package io.chorus.audit;

import java.util.List;

/**
 * The answer of a walk along the chain: intact, or the first entry that breaks it and why.
 * {@code problem} is one of ENTRY_MISSING (a gap, or entries cut off the end), HASH_MISMATCH (the
 * entry's content no longer gives its hash), CHAIN_BROKEN (it does not point at the entry
 * before it), CHECKPOINT_MISMATCH (a signed checkpoint no longer matches, or its signature fails) or
 * UNTRUSTED_KEY (a checkpoint signed by a configured key that is neither the current one nor trusted:
 * a rotation whose old key was not listed, or a forgery; reported only when nothing else is wrong).
 */
public record ChainVerification(boolean intact, long fromSeq, long toSeq, long entriesChecked, long headSeq,
        int checkpointsChecked, Break firstBroken) {

    public record Break(long seq, String problem, String detail) {
    }

    /** All problem names, for documentation and tests. */
    public static final List<String> PROBLEMS = List.of("ENTRY_MISSING", "HASH_MISMATCH", "CHAIN_BROKEN",
            "CHECKPOINT_MISMATCH", "UNTRUSTED_KEY");
}
