package io.chorus.approval;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A template at one of its versions (normally the current one). */
public record TemplateView(UUID id, int version, String name, String category, String description,
        boolean enabled, FormSchema form, List<FlowNode> flow, TemplateSettings settings, UUID createdBy,
        Instant createdAt, UUID publishedBy, Instant publishedAt) {
}
