package io.chorus.chat;

import io.chorus.chat.internal.OnlineSessions;
import io.chorus.identity.UserId;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** Who is online: connected with any device. Changes are pushed live to direct-chat peers. */
@Service
public class Presence {

    private final OnlineSessions sessions;

    Presence(OnlineSessions sessions) {
        this.sessions = sessions;
    }

    /** Each of these users (once), online or not, as this node sees it. */
    public Map<UUID, Boolean> online(Collection<UserId> users) {
        return sessions.online(users);
    }
}
