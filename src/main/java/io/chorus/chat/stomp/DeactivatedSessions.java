package io.chorus.chat.stomp;

import io.chorus.identity.IdentityEvents.UserDeactivated;
import io.chorus.platform.ProblemCodes;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.simp.user.SimpSession;
import org.springframework.messaging.simp.user.SimpUser;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * A deactivated user's open sessions end at once: they stop receiving anything, and their next
 * CONNECT (or REST call) is refused with ACCOUNT_DEACTIVATED.
 */
@Component
class DeactivatedSessions {

    private static final Logger log = LoggerFactory.getLogger(DeactivatedSessions.class);

    private final SimpUserRegistry users;
    private final StompErrorFrames errors;

    DeactivatedSessions(SimpUserRegistry users, StompErrorFrames errors) {
        this.users = users;
        this.errors = errors;
    }

    @ApplicationModuleListener
    void on(UserDeactivated deactivated) {
        SimpUser user = users.getUser(deactivated.userId().toString());
        List<String> sessions = user == null ? List.of() : user.getSessions().stream().map(SimpSession::getId).toList();
        StompError error = new StompError(ProblemCodes.ACCOUNT_DEACTIVATED, 401, "This account has been deactivated.",
                null, null);
        sessions.forEach(session -> errors.close(session, error));
        if (!sessions.isEmpty()) {
            log.info("Closed {} live session(s) of deactivated user {}", sessions.size(), deactivated.userId());
        }
    }
}
