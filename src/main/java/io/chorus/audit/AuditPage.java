package io.chorus.audit;

import java.util.List;

/** A page of entries in chain order; {@code nextCursor} is null on the last page. */
public record AuditPage(List<AuditEntry> items, String nextCursor) {
}
