package io.chorus.chat.stomp;

import io.chorus.chat.LiveEvent;
import io.chorus.chat.internal.MemberStore;
import java.util.Collection;
import java.util.UUID;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.user.SimpSession;
import org.springframework.messaging.simp.user.SimpUser;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.MimeTypeUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers live events to every session of the users concerned. Events leave only after the
 * change commits (a client never sees what could still roll back), the payload is serialised
 * once however many members there are, and users with no open session are skipped: they
 * catch up by seq when they return.
 */
@Component
public class LiveFanout {

    static final String EVENTS = "/queue/events";

    private final SimpMessagingTemplate template;
    private final SimpUserRegistry users;
    private final MemberStore members;
    private final JsonMapper json;

    LiveFanout(SimpMessagingTemplate template, SimpUserRegistry users, MemberStore members, JsonMapper json) {
        this.template = template;
        this.users = users;
        this.members = members;
        this.json = json;
    }

    /** To every current member of the conversation, once the surrounding transaction commits. */
    public void toMembersAfterCommit(UUID conversationId, LiveEvent event) {
        afterCommit(() -> toUsers(members.memberIds(conversationId), event));
    }

    public void toUsersAfterCommit(Collection<UUID> userIds, LiveEvent event) {
        afterCommit(() -> toUsers(userIds, event));
    }

    public void toUsers(Collection<UUID> userIds, LiveEvent event) {
        byte[] payload = json.writeValueAsBytes(event);
        for (UUID userId : userIds) {
            String name = userId.toString();
            SimpUser user = users.getUser(name);
            if (user == null) {
                continue;
            }
            // One message per session: with receive order preserved, Spring (7.0) passes a message
            // for a user destination through a per-session ordered channel, and a single message
            // addressed to several sessions reaches only the first (its headers are sealed after
            // the first send). A second device would silently miss every event.
            for (SimpSession session : user.getSessions()) {
                SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
                headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
                headers.setSessionId(session.getId());
                headers.setLeaveMutable(true);
                template.send("/user/" + name + EVENTS, MessageBuilder.createMessage(payload, headers.getMessageHeaders()));
            }
        }
    }

    private static void afterCommit(Runnable delivery) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    delivery.run();
                }
            });
        } else {
            delivery.run();
        }
    }
}
