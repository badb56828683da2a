package io.chorus.audit.internal;

import io.chorus.audit.ActorType;
import io.chorus.identity.UserId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One thing that happened, described for the trail: a small builder the listeners fill in from
 * an event. {@code source} is what the entry is recorded for (an event, or a query's own key);
 * it makes the entry's key, so the same event recorded twice is one entry.
 */
public final class Activity {

    /** The id the org chart and directory sync use as actor: nobody in particular, Chorus itself. */
    private static final UUID NOBODY = new UUID(0, 0);

    final String action;
    final Object source;
    Instant at;
    ActorType actorType = ActorType.SYSTEM;
    UUID actorId;
    String targetType;
    String targetId;
    UUID conversationId;
    UUID departmentId;
    String sourceIp;
    String sessionId;
    final Map<String, Object> detail = new LinkedHashMap<>();

    private Activity(String action, Object source) {
        this.action = action;
        this.source = source;
    }

    public static Activity of(String action, Object source) {
        return new Activity(action, source);
    }

    public Activity at(Instant when) {
        this.at = when;
        return this;
    }

    /** A person acted; null or the nil id (sync, the org chart itself) means Chorus did. */
    public Activity by(UserId user) {
        return by(user == null ? null : user.value());
    }

    public Activity by(UUID user) {
        if (user != null && !user.equals(NOBODY)) {
            actorType = ActorType.USER;
            actorId = user;
        } else {
            actorType = ActorType.SYSTEM;
            actorId = null;
        }
        return this;
    }

    public Activity target(String type, Object id) {
        this.targetType = type;
        this.targetId = id == null ? null : id.toString();
        return this;
    }

    public Activity conversation(UUID conversation) {
        this.conversationId = conversation;
        return this;
    }

    public Activity department(UUID department) {
        this.departmentId = department;
        return this;
    }

    public Activity from(String ip, String session) {
        this.sourceIp = ip;
        this.sessionId = session;
        return this;
    }

    /** Adds a detail value; nulls are left out to keep entries compact. */
    public Activity detail(String key, Object value) {
        if (value != null) {
            detail.put(key, value instanceof UserId user ? user.value().toString() : value);
        }
        return this;
    }
}
