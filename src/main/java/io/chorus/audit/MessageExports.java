package io.chorus.audit;

import io.chorus.chat.ArchiveQuery;
import io.chorus.chat.ArchivedMessage;
import io.chorus.chat.ConversationId;
import io.chorus.chat.MessageArchive;
import io.chorus.identity.CurrentUser;
import io.chorus.identity.UserId;
import io.chorus.org.Employee;
import io.chorus.org.OrgDirectory;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import io.chorus.audit.internal.Activity;
import io.chorus.audit.internal.ActivityLog;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * eDiscovery: every message of chosen conversations or users in a time range, streamed, within
 * the officer's scope (a scoped officer gets only messages their departments' members sent, and
 * of the members at posting only those members).
 * Each export is recorded in the trail with its filters before the first message leaves.
 */
@Service
public class MessageExports {

    /** The most conversations and users one export names. */
    public static final int MAX_SUBJECTS = 500;

    private final MessageArchive archive;
    private final OrgDirectory org;
    private final ComplianceScopes scopes;
    private final ActivityLog activity;

    MessageExports(MessageArchive archive, OrgDirectory org, ComplianceScopes scopes, ActivityLog activity) {
        this.archive = archive;
        this.org = org;
        this.scopes = scopes;
        this.activity = activity;
    }

    /** Checks the request before anything is written; a 400 problem when it names nothing or contradicts itself. */
    public static void validate(Set<UUID> conversationIds, Set<UUID> userIds, Instant from, Instant to) {
        if (conversationIds.isEmpty() && userIds.isEmpty()) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "Name at least one conversationId or userId.");
        }
        if (conversationIds.size() + userIds.size() > MAX_SUBJECTS) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "Name at most " + MAX_SUBJECTS + " conversations and users in one export.");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, "from must be before to.");
        }
    }

    public void export(CurrentUser officer, Set<UUID> conversationIds, Set<UUID> userIds, Instant from, Instant to,
            String format, String sourceIp, Consumer<ExportedMessage> sink) {
        validate(conversationIds, userIds, from, to);
        ComplianceScope scope = scopes.of(officer.id());
        activity.record(Activity.of("audit.messages_exported", "query:" + UUID.randomUUID()).by(officer.id())
                .from(sourceIp, null).detail("conversationIds", conversationIds.stream().map(UUID::toString).toList())
                .detail("userIds", userIds.stream().map(UUID::toString).toList())
                .detail("from", from == null ? null : from.toString()).detail("to", to == null ? null : to.toString())
                .detail("format", format).detail("scoped", !scope.unscoped()));
        ArchiveQuery query = new ArchiveQuery(
                conversationIds.stream().map(ConversationId::of).collect(Collectors.toSet()),
                userIds.stream().map(UserId::of).collect(Collectors.toSet()), from, to,
                scope.unscoped() ? null : scope.userIds().stream().map(UserId::of).collect(Collectors.toSet()));
        // One directory look-up per distinct sender, not per message.
        Map<UUID, Employee.Membership> departments = new HashMap<>();
        archive.stream(query, message -> {
            Employee.Membership primary = departments.computeIfAbsent(message.senderId().value(), sender ->
                    org.departmentsOf(UserId.of(sender)).stream().filter(Employee.Membership::primary).findFirst()
                            .orElse(NONE));
            sink.accept(new ExportedMessage(scope.unscoped() ? message : withinScope(message, scope),
                    primary == NONE ? null : primary.departmentId(), primary == NONE ? null : primary.departmentName()));
        });
    }

    /** The message with only the members the scope covers: a scoped officer learns nothing of anyone else. */
    private static ArchivedMessage withinScope(ArchivedMessage m, ComplianceScope scope) {
        return new ArchivedMessage(m.id(), m.conversationId(), m.conversationKind(), m.conversationName(), m.seq(),
                m.senderId(), m.text(), m.sentAt(), m.editedAt(), m.recalled(), m.recalledAt(), m.recalledBy(),
                m.purged(), m.purgedAt(), m.revisions(),
                m.membersAtPosting().stream().filter(member -> scope.covers(member.value())).toList());
    }

    private static final Employee.Membership NONE = new Employee.Membership(null, null, null, false);
}
