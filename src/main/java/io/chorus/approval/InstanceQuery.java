package io.chorus.approval;

import java.time.Instant;
import java.util.UUID;

/**
 * Which requests to list. {@code view}: SUBMITTED (by me, or filed for me), CC (CC'd to me),
 * ALL (org_admins only). Filters are optional; {@code from}/{@code to} bound the submit time.
 */
public record InstanceQuery(View view, UUID templateId, InstanceView.State state, Instant from, Instant to,
        String cursor, int limit) {

    public enum View {
        SUBMITTED, CC, ALL
    }
}
