package io.chorus.audit.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Turns an {@link Activity} into a pending entry. */
@Component
public class ActivityLog {

    private final PendingEntries pending;
    private final JsonMapper json;
    private final Clock clock;

    ActivityLog(PendingEntries pending, JsonMapper json, Clock clock) {
        this.pending = pending;
        this.json = json;
        this.clock = clock;
    }

    public void record(Activity activity) {
        String key = activity.source instanceof String own ? own : eventKey(activity);
        pending.add(new AuditRecord(key, activity.at == null ? clock.instant() : activity.at, activity.actorType,
                activity.actorId, activity.action, activity.targetType, activity.targetId, activity.conversationId,
                activity.departmentId, activity.sourceIp, activity.sessionId,
                json.writeValueAsString(activity.detail)));
    }

    /**
     * Events carry no id of their own, but every one carries what makes it unique (its time,
     * ids, a version): the hash of its type and JSON form identifies it across redeliveries.
     */
    private String eventKey(Activity activity) {
        String serialized = activity.source.getClass().getName() + "\n" + json.writeValueAsString(activity.source);
        return activity.action + ":" + EntryHash.hex(EntryHash.sha256(serialized.getBytes(StandardCharsets.UTF_8)));
    }
}
