package io.chorus.integration.internal;

import io.chorus.chat.ConversationId;
import io.chorus.chat.ConversationView;
import io.chorus.chat.Conversations;
import io.chorus.identity.CurrentUser;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Find-or-create of project groups by an integration's own key: the ERP asks for the group of
 * "PO-4711" every time it has news, and gets the one group it created the first time. Concurrent
 * first requests for the same key create one group (a transaction-scoped advisory lock on the key).
 */
@Service
public class BotGroups {

    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

    /** @param created false when the group already existed */
    public record Found(ConversationView conversation, boolean created) {
    }

    private final JdbcClient jdbc;
    private final Conversations conversations;
    private final Clock clock;

    BotGroups(JdbcClient jdbc, Conversations conversations, Clock clock) {
        this.jdbc = jdbc;
        this.conversations = conversations;
        this.clock = clock;
    }

    /**
     * The group this caller made for {@code externalKey}, or a new one named {@code name} with
     * {@code memberIds}. An existing group is returned as it is (name and members are not
     * changed: people may have renamed it or joined since); one the caller has left is not found
     * again (404 from chat), since it may no longer read it.
     */
    @Transactional
    public Found findOrCreate(CurrentUser caller, String externalKey, String name, Collection<UUID> memberIds) {
        if (externalKey == null || !KEY.matcher(externalKey).matches()) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "The external key is 1 to 200 visible ASCII characters.");
        }
        UUID owner = caller.id().value();
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .param("key", "integration.bot_group:" + owner + ":" + externalKey).query((row, number) -> true).list();
        Optional<UUID> existing = jdbc.sql("SELECT conversation_id FROM integration.bot_group"
                        + " WHERE owner_id = :owner AND external_key = :key")
                .param("owner", owner).param("key", externalKey).query(UUID.class).optional();
        if (existing.isPresent()) {
            return new Found(conversations.get(caller.id(), ConversationId.of(existing.get())), false);
        }
        ConversationView created = conversations.createGroup(caller.id(), name,
                memberIds == null ? List.of() : memberIds);
        jdbc.sql("INSERT INTO integration.bot_group (owner_id, external_key, conversation_id, created_at)"
                        + " VALUES (:owner, :key, :conversation, :at)")
                .param("owner", owner).param("key", externalKey).param("conversation", created.id())
                .param("at", Timestamp.from(clock.instant())).update();
        return new Found(created, true);
    }
}
