package io.chorus.chat.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

@Validated
@ConfigurationProperties("chorus.chat")
public record ChatProperties(
        /** How long an author may recall their own message; owners and admins may always. */
        @DefaultValue("2m") Duration recallWindow,
        /** The most members a group may have. */
        @Min(2) @DefaultValue("5000") int maxGroupSize,
        /** The largest page of messages one request returns. */
        @Min(1) @Max(500) @DefaultValue("100") int maxPageSize,
        @Valid @DefaultValue Stomp stomp,
        @Valid @DefaultValue DepartmentGroups departmentGroups,
        @Valid @DefaultValue Retention retention,
        @Valid @DefaultValue MemberCache memberCache) {

    public record MemberCache(
            /** Conversations whose member lists live fan-out keeps in memory. */
            @Min(1) @DefaultValue("20000") int maxConversations,
            /**
             * How long a cached member list is trusted at most. Changes made on this node invalidate
             * it at once; the bound matters only for changes made on another node.
             */
            @DefaultValue("30s") Duration timeToLive) {
    }

    public record Retention(
            /** Whether this node purges expired messages on a schedule; nodes never purge the same rows twice. */
            @DefaultValue("true") boolean scheduled,
            /** The pause between purge runs, and before the first one after start-up. */
            @DefaultValue("1h") Duration purgeInterval,
            /** Messages erased per batch; each batch is its own transaction. */
            @Min(1) @Max(100000) @DefaultValue("1000") int purgeBatchSize) {
    }

    public record DepartmentGroups(
            /** Give every department a group as soon as it exists, instead of when an org_admin asks. */
            @DefaultValue("false") boolean createForEveryDepartment,
            /** Whether those automatic groups also take in the members of sub-departments. */
            @DefaultValue("false") boolean includeSubDepartments) {
    }

    public record Stomp(
            /** Browser origins allowed to open /ws (patterns); clients without an Origin header are not browsers and pass. */
            @NotEmpty @DefaultValue({"http://localhost:[*]", "http://127.0.0.1:[*]"}) List<String> allowedOrigins,
            /** The largest inbound STOMP frame, in bytes. */
            @Min(1024) @DefaultValue("65536") int maxFrameBytes,
            /** SEND frames a session may make per second, sustained ... */
            @Min(1) @DefaultValue("20") int sendsPerSecond,
            /** ... and in one burst. */
            @Min(1) @DefaultValue("40") int sendBurst,
            /** STOMP heart-beat interval in both directions. */
            @DefaultValue("10s") Duration heartbeat,
            /**
             * The size of each per-connection buffer (socket read and write, WebSocket message
             * assembly). Larger frames are read in parts; smaller buffers make idle sessions cheap.
             */
            @Min(512) @DefaultValue("1024") int sessionBufferBytes) {
    }
}
