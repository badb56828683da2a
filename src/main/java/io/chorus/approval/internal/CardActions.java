package io.chorus.approval.internal;

import io.chorus.approval.Approvals;
import io.chorus.chat.CardActionInvoked;
import io.chorus.identity.CurrentUser;
import io.chorus.identity.Role;
import io.chorus.identity.UserDirectory;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Approve, reject or withdraw from an approval card: the same commands, with the same checks, as
 * the REST API. A card action carries no more rights than its actor has as an employee.
 */
@Component
class CardActions {

    private final Approvals approvals;
    private final ApprovalBot bot;
    private final UserDirectory users;

    CardActions(Approvals approvals, ApprovalBot bot, UserDirectory users) {
        this.approvals = approvals;
        this.bot = bot;
        this.users = users;
    }

    @EventListener
    void on(CardActionInvoked action) {
        if (!bot.id().equals(action.cardSender())) {
            return;
        }
        CurrentUser actor = users.find(action.actor())
                .map(profile -> new CurrentUser(profile.id(), profile.username(), profile.displayName(),
                        Set.of(Role.EMPLOYEE)))
                .orElseThrow(() -> ChorusProblem.forbidden(ProblemCodes.FORBIDDEN, "Unknown user."));
        UUID target;
        try {
            target = UUID.fromString(action.value());
        } catch (IllegalArgumentException notOurs) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, "This card action is not an approval's.");
        }
        switch (action.actionId()) {
            case "approve" -> approvals.approve(actor, target, action.input());
            case "reject" -> approvals.reject(actor, target, action.input());
            case "withdraw" -> approvals.withdraw(actor, target);
            default -> throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "Approval cards have no action '" + action.actionId() + "'.");
        }
    }
}
