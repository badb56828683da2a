package io.chorus.chat.stomp;

import io.chorus.identity.IdentityEvents.UserDeactivated;
import io.chorus.platform.ProblemCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * A deactivated user's open sessions end at once, on every node: they stop receiving anything,
 * and their next CONNECT (or REST call) is refused with ACCOUNT_DEACTIVATED. One node handles the
 * event; {@link NodeBus} tells every node to close the sessions it holds.
 */
@Component
class DeactivatedSessions {

    private static final Logger log = LoggerFactory.getLogger(DeactivatedSessions.class);

    private final NodeBus bus;

    DeactivatedSessions(NodeBus bus) {
        this.bus = bus;
    }

    @ApplicationModuleListener
    void on(UserDeactivated deactivated) {
        bus.publishClose(deactivated.userId().value(), new StompError(ProblemCodes.ACCOUNT_DEACTIVATED, 401,
                "This account has been deactivated.", null, null));
        log.info("Closing the live sessions of deactivated user {} on every node", deactivated.userId());
    }
}
