package io.chorus.audit.web;

import io.chorus.audit.ExportedMessage;
import io.chorus.audit.MessageExports;
import io.chorus.chat.ArchivedMessage;
import io.chorus.identity.CurrentUser;
import io.chorus.identity.UserId;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** eDiscovery exports of messages, for compliance officers. */
@RestController
@PreAuthorize("hasRole('compliance_officer')")
class MessageExportController {

    private static final List<String> HEADER = List.of("message_id", "conversation_id", "conversation_kind",
            "conversation_name", "seq", "sender_id", "sender_department_id", "sender_department", "sent_at", "text",
            "edited_at", "recalled", "recalled_at", "recalled_by", "purged", "purged_at", "revisions",
            "members_at_posting");

    private static final String EXPORT = "/api/v1/audit/messages/export";

    private final MessageExports exports;
    private final JsonMapper json;

    MessageExportController(MessageExports exports, JsonMapper json) {
        this.exports = exports;
        this.json = json;
    }

    /** The export for a few ids: every id is a query parameter, and the URL must fit the 16 KB header limit. */
    @GetMapping(EXPORT)
    void export(@AuthenticationPrincipal CurrentUser me, @RequestParam String format,
            @RequestParam(name = "conversationId", required = false) List<UUID> conversationIds,
            @RequestParam(name = "userId", required = false) List<UUID> userIds,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        export(me, new MessageExportRequest(format, conversationIds, userIds, from, to), request, response);
    }

    /**
     * The same export with its filters in a JSON body, so that all {@value MessageExports#MAX_SUBJECTS}
     * ids fit: 300 of them as query parameters already exceed the header limit.
     */
    record MessageExportRequest(@NotNull String format,
            @Size(max = MessageExports.MAX_SUBJECTS) List<@NotNull UUID> conversationIds,
            @Size(max = MessageExports.MAX_SUBJECTS) List<@NotNull UUID> userIds, Instant from, Instant to) {
    }

    @PostMapping(EXPORT)
    void export(@AuthenticationPrincipal CurrentUser me, @Valid @RequestBody MessageExportRequest body,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        ExportFormat chosen = ExportFormat.of(body.format());
        var conversations = new LinkedHashSet<>(body.conversationIds() == null ? List.<UUID>of()
                : body.conversationIds());
        var users = new LinkedHashSet<>(body.userIds() == null ? List.<UUID>of() : body.userIds());
        MessageExports.validate(conversations, users, body.from(), body.to());
        ExportStream<ExportedMessage> stream = ExportStream.open(response, chosen, "messages", HEADER,
                this::columns, MessageExportController::flat, json);
        exports.export(me, conversations, users, body.from(), body.to(), chosen.extension(), request.getRemoteAddr(),
                stream);
        stream.finish();
    }

    /** One JSON object per message, with the same names as the CSV columns (camel case). */
    private static Map<String, Object> flat(ExportedMessage exported) {
        ArchivedMessage m = exported.message();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("messageId", m.id());
        row.put("conversationId", m.conversationId().value());
        row.put("conversationKind", m.conversationKind());
        row.put("conversationName", m.conversationName());
        row.put("seq", m.seq());
        row.put("senderId", m.senderId().value());
        row.put("senderDepartmentId", exported.senderDepartmentId());
        row.put("senderDepartment", exported.senderDepartmentName());
        row.put("sentAt", m.sentAt());
        row.put("text", m.text());
        row.put("editedAt", m.editedAt());
        row.put("recalled", m.recalled());
        row.put("recalledAt", m.recalledAt());
        row.put("recalledBy", m.recalledBy() == null ? null : m.recalledBy().value());
        row.put("purged", m.purged());
        row.put("purgedAt", m.purgedAt());
        row.put("revisions", m.revisions());
        row.put("membersAtPosting", m.membersAtPosting().stream().map(UserId::value).toList());
        return row;
    }

    private List<String> columns(ExportedMessage exported) {
        ArchivedMessage m = exported.message();
        return Arrays.asList(Long.toString(m.id()), m.conversationId().value().toString(),
                m.conversationKind().name(), m.conversationName(), Long.toString(m.seq()),
                m.senderId().value().toString(), text(exported.senderDepartmentId()),
                exported.senderDepartmentName(), m.sentAt().toString(), m.text(), text(m.editedAt()),
                Boolean.toString(m.recalled()), text(m.recalledAt()),
                m.recalledBy() == null ? null : m.recalledBy().value().toString(), Boolean.toString(m.purged()),
                text(m.purgedAt()), json.writeValueAsString(m.revisions()),
                json.writeValueAsString(m.membersAtPosting().stream().map(UserId::value).toList()));
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
