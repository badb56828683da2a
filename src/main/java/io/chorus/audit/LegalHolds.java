package io.chorus.audit;

import io.chorus.chat.ChatEvents.HoldSubject;
import io.chorus.chat.ConversationId;
import io.chorus.chat.LegalHold;
import io.chorus.chat.MessageArchive;
import io.chorus.chat.MessageRetention;
import io.chorus.chat.PlaceLegalHold;
import io.chorus.identity.CurrentUser;
import io.chorus.identity.UserId;
import io.chorus.platform.ChorusProblem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Legal holds as a compliance officer manages them: chat keeps the holds, this adds the
 * officer's scope. A hold keeps the messages of everyone it covers, so a scoped officer may
 * place, see and release only a hold that covers nobody outside their departments: a user in
 * scope, or a conversation whose every member, present or past, is in scope (what a former
 * member posted there is kept too). Unscoped officers manage every hold.
 */
@Service
public class LegalHolds {

    private final MessageRetention retention;
    private final MessageArchive archive;
    private final ComplianceScopes scopes;

    LegalHolds(MessageRetention retention, MessageArchive archive, ComplianceScopes scopes) {
        this.retention = retention;
        this.archive = archive;
        this.scopes = scopes;
    }

    public LegalHold place(CurrentUser officer, PlaceLegalHold command) {
        ComplianceScope scope = scopes.of(officer.id());
        if (!covers(scope, command.subjectType(), command.subjectId(), new HashMap<>())) {
            throw outside();
        }
        return retention.placeHold(officer.id(), command);
    }

    /** The holds within the officer's scope, active and released; active ones first, newest first. */
    public List<LegalHold> holds(CurrentUser officer) {
        ComplianceScope scope = scopes.of(officer.id());
        List<LegalHold> all = retention.holds();
        if (scope.unscoped()) {
            return all;
        }
        Map<UUID, Boolean> conversations = new HashMap<>();
        return all.stream().filter(hold -> covers(scope, hold.subjectType(), hold.subjectId(), conversations))
                .toList();
    }

    public LegalHold release(CurrentUser officer, UUID holdId) {
        ComplianceScope scope = scopes.of(officer.id());
        retention.hold(holdId).ifPresent(hold -> {
            if (!covers(scope, hold.subjectType(), hold.subjectId(), new HashMap<>())) {
                throw outside();
            }
        });
        return retention.releaseHold(officer.id(), holdId);
    }

    /** {@code conversations} remembers answers within one call: a listing asks once per conversation. */
    private boolean covers(ComplianceScope scope, HoldSubject type, UUID subject, Map<UUID, Boolean> conversations) {
        if (scope.unscoped()) {
            return true;
        }
        return switch (type) {
            case USER -> scope.covers(subject);
            case CONVERSATION -> conversations.computeIfAbsent(subject, id -> archive
                    .everMembers(ConversationId.of(id)).stream().map(UserId::value).allMatch(scope::covers));
        };
    }

    private static ChorusProblem outside() {
        return ChorusProblem.forbidden(AuditProblems.OUTSIDE_COMPLIANCE_SCOPE,
                "This hold would keep messages of people outside your compliance scope.");
    }
}
