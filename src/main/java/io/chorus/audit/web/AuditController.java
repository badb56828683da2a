package io.chorus.audit.web;

import io.chorus.audit.AuditEntry;
import io.chorus.audit.AuditFilter;
import io.chorus.audit.AuditPage;
import io.chorus.audit.AuditTrail;
import io.chorus.audit.ChainVerification;
import io.chorus.audit.Checkpoint;
import io.chorus.identity.CurrentUser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** The audit trail for compliance officers: query, export, verify, checkpoints. */
@RestController
@RequestMapping("/api/v1/audit")
@PreAuthorize("hasRole('compliance_officer')")
class AuditController {

    private final AuditTrail trail;
    private final JsonMapper json;

    AuditController(AuditTrail trail, JsonMapper json) {
        this.trail = trail;
        this.json = json;
    }

    @GetMapping("/events")
    AuditPage events(@AuthenticationPrincipal CurrentUser me, @RequestParam(required = false) UUID actorId,
            @RequestParam(required = false) @Size(max = 100) String action,
            @RequestParam(required = false) @Size(max = 100) String targetType,
            @RequestParam(required = false) @Size(max = 200) String targetId,
            @RequestParam(required = false) UUID conversationId, @RequestParam(required = false) UUID departmentId,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(required = false) @Size(max = 200) String cursor,
            @RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit, HttpServletRequest request) {
        return trail.events(me, new AuditFilter(actorId, action, targetType, targetId, conversationId, departmentId,
                from, to), cursor, limit, request.getRemoteAddr());
    }

    /** The same filters as {@code /events}, streamed as CSV or JSON lines. */
    @GetMapping("/export")
    void export(@AuthenticationPrincipal CurrentUser me, @RequestParam String format,
            @RequestParam(required = false) UUID actorId,
            @RequestParam(required = false) @Size(max = 100) String action,
            @RequestParam(required = false) @Size(max = 100) String targetType,
            @RequestParam(required = false) @Size(max = 200) String targetId,
            @RequestParam(required = false) UUID conversationId, @RequestParam(required = false) UUID departmentId,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        ExportFormat chosen = ExportFormat.of(format);
        AuditFilter filter = new AuditFilter(actorId, action, targetType, targetId, conversationId, departmentId,
                from, to).validated();
        ExportStream<AuditEntry> stream = ExportStream.open(response, chosen, "audit-events", HEADER,
                AuditController::columns, entry -> entry, json);
        trail.export(me, filter, chosen.extension(), request.getRemoteAddr(), stream);
        stream.finish();
    }

    private static final List<String> HEADER = List.of("seq", "event_key", "occurred_at", "recorded_at",
            "actor_type", "actor_id", "action", "target_type", "target_id", "conversation_id", "department_id",
            "source_ip", "session_id", "detail", "prev_hash", "hash");

    private static List<String> columns(AuditEntry e) {
        return java.util.Arrays.asList(Long.toString(e.seq()), e.eventKey(), e.occurredAt().toString(),
                e.recordedAt().toString(), e.actorType().name(), text(e.actorId()), e.action(), e.targetType(),
                e.targetId(), text(e.conversationId()), text(e.departmentId()), e.sourceIp(), e.sessionId(),
                e.detail(), e.prevHash(), e.hash());
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    @GetMapping("/verify")
    ChainVerification verify(@AuthenticationPrincipal CurrentUser me,
            @RequestParam(required = false) @Min(1) Long fromSeq, @RequestParam(required = false) @Min(1) Long toSeq,
            HttpServletRequest request) {
        return trail.verify(me, fromSeq, toSeq, request.getRemoteAddr());
    }

    @GetMapping("/checkpoints")
    List<Checkpoint> checkpoints(@AuthenticationPrincipal CurrentUser me,
            @RequestParam(defaultValue = "0") @Min(0) long afterId,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit, HttpServletRequest request) {
        return trail.checkpoints(me, afterId, limit, request.getRemoteAddr());
    }

    @PostMapping("/checkpoints")
    ResponseEntity<Checkpoint> checkpointNow(@AuthenticationPrincipal CurrentUser me, HttpServletRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED).body(trail.checkpointNow(me, request.getRemoteAddr()));
    }
}
