package io.chorus.approval;

import java.util.List;

/** A page of a list; {@code nextCursor} is null on the last page. */
public record ApprovalPage<T>(List<T> items, String nextCursor) {
}
