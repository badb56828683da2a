package io.chorus.approval.internal;

import io.chorus.approval.ApprovalEvents;
import io.chorus.approval.FieldType;
import io.chorus.approval.TemplateView;
import io.chorus.chat.Card;
import io.chorus.chat.Cards;
import io.chorus.chat.ConversationId;
import io.chorus.chat.Conversations;
import io.chorus.chat.MessageView;
import io.chorus.chat.Messages;
import io.chorus.chat.PostCard;
import io.chorus.chat.SendMessage;
import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import io.chorus.identity.UserProfile;
import io.chorus.org.DepartmentId;
import io.chorus.org.OrgDirectory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Approvals in chat: each participant (requester, approvers, CC'd, mentioned) has one card per
 * request in their direct chat with the Approvals bot, updated in place as the request moves.
 * A card shows the state of the instance when it is rendered, never an event's payload, so a
 * redelivered or late event cannot roll a card back; {@code rendered_version} stops an older
 * rendering from overwriting a newer one.
 */
@Component
class ApprovalCards {

    private static final Logger log = LoggerFactory.getLogger(ApprovalCards.class);

    private final ApprovalInstances instances;
    private final TemplateStore templates;
    private final ApprovalBot bot;
    private final Conversations conversations;
    private final Cards cards;
    private final Messages messages;
    private final UserDirectory users;
    private final OrgDirectory org;
    private final JdbcClient jdbc;

    ApprovalCards(ApprovalInstances instances, TemplateStore templates, ApprovalBot bot, Conversations conversations,
            Cards cards, Messages messages, UserDirectory users, OrgDirectory org, JdbcClient jdbc) {
        this.instances = instances;
        this.templates = templates;
        this.bot = bot;
        this.conversations = conversations;
        this.cards = cards;
        this.messages = messages;
        this.users = users;
        this.org = org;
        this.jdbc = jdbc;
    }

    @ApplicationModuleListener
    void on(ApprovalEvents.InstanceEvent event) {
        refresh(event.instanceId());
    }

    /** A reminder is a new message, so the approver's client notifies them; the card itself stays where it is. */
    @ApplicationModuleListener
    void on(ApprovalEvents.ApprovalReminded event) {
        ApprovalInstance instance = instances.load(event.instanceId());
        String who = event.by() == null ? "This request is waiting for you"
                : users.find(event.by()).map(UserProfile::displayName).orElse("The requester") + " reminds you";
        for (UserId approver : event.approvers()) {
            ConversationId chat = ConversationId.of(conversations.openDirect(bot.id(), approver).conversation().id());
            messages.send(new SendMessage(chat, bot.id(), clientMessageId("remind", event.instanceId(),
                    approver.value(), event.at().toEpochMilli()), who + ": " + instance.title(), null));
        }
    }

    void refresh(UUID instanceId) {
        ApprovalInstance instance = instances.load(instanceId);
        List<UUID> audience = audience(instance);
        long upToDate = jdbc.sql("SELECT count(*) FROM approval.card WHERE instance_id = :instance"
                        + " AND rendered_version >= :version")
                .param("instance", instanceId).param("version", instance.version()).query(Long.class).single();
        if (upToDate >= audience.size()) {
            // Several events of one transaction each ask for a refresh; the first one did it.
            return;
        }
        TemplateView template = templates.version(instance.templateId(), instance.templateVersion()).orElseThrow();
        Map<UUID, UserProfile> people = people(instance, template);
        Map<UUID, String> departments = departments(instance, template);
        for (UUID user : audience) {
            if (!people.containsKey(user) || !people.get(user).active()) {
                continue;
            }
            try {
                show(instance, user, CardLayout.render(instance, template.form(), user, people, departments));
            } catch (RuntimeException oneCard) {
                // One person's card that cannot be shown must not keep everyone else's stale.
                log.warn("Could not show the card of request {} to {}", instanceId, user, oneCard);
            }
        }
    }

    private void show(ApprovalInstance instance, UUID user, Card card) {
        record Shown(UUID conversationId, long messageId, long renderedVersion) {
        }
        // One refresh at a time per card, also before the card's row exists (FOR UPDATE cannot lock that).
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended('approval.card:' || :instance || ':' || :user, 0))")
                .param("instance", instance.id().toString()).param("user", user.toString()).query().singleValue();
        Optional<Shown> shown = jdbc.sql("""
                SELECT conversation_id, message_id, rendered_version FROM approval.card
                WHERE instance_id = :instance AND user_id = :user FOR UPDATE
                """).param("instance", instance.id()).param("user", user).query(Shown.class).optional();
        if (shown.isPresent()) {
            if (shown.get().renderedVersion() >= instance.version()) {
                return;
            }
            cards.update(bot.id(), ConversationId.of(shown.get().conversationId()), shown.get().messageId(), card);
            jdbc.sql("UPDATE approval.card SET rendered_version = :version WHERE instance_id = :instance"
                            + " AND user_id = :user AND rendered_version < :version")
                    .param("version", instance.version()).param("instance", instance.id()).param("user", user)
                    .update();
            return;
        }
        UUID conversation = conversations.openDirect(bot.id(), UserId.of(user)).conversation().id();
        MessageView posted = cards.post(new PostCard(ConversationId.of(conversation), bot.id(),
                clientMessageId("card", instance.id(), user, 0), card));
        if (!card.equals(posted.card())) {
            // A concurrent refresh posted it first, from an older state of the request.
            posted = cards.update(bot.id(), ConversationId.of(conversation), posted.id(), card);
        }
        jdbc.sql("""
                INSERT INTO approval.card (instance_id, user_id, conversation_id, message_id, rendered_version)
                VALUES (:instance, :user, :conversation, :message, :version)
                ON CONFLICT (instance_id, user_id) DO UPDATE
                    SET rendered_version = GREATEST(card.rendered_version, excluded.rendered_version)
                """)
                .param("instance", instance.id()).param("user", user).param("conversation", conversation)
                .param("message", posted.id()).param("version", instance.version()).update();
    }

    /**
     * The bot's client message id for one card or reminder: the same inputs give the same id,
     * so a redelivered event finds the message it already posted. Compact, to fit the 64
     * characters chat allows.
     */
    static String clientMessageId(String kind, UUID instance, UUID user, long at) {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(40);
        bytes.putLong(instance.getMostSignificantBits()).putLong(instance.getLeastSignificantBits())
                .putLong(user.getMostSignificantBits()).putLong(user.getLeastSignificantBits()).putLong(at);
        return "apv." + kind.charAt(0) + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(bytes.array());
    }

    /** Who gets a card: the requester, every approver who has had a task, the CC'd and the mentioned. */
    private static List<UUID> audience(ApprovalInstance instance) {
        Map<UUID, Boolean> audience = new LinkedHashMap<>();
        audience.put(instance.requesterId(), true);
        instance.tasks().forEach(task -> audience.put(task.approverId(), true));
        instance.participants().forEach(participant -> audience.put(participant.userId(), true));
        return new ArrayList<>(audience.keySet());
    }

    /** Everyone a card names: the audience, and the people the form's USER fields name. */
    private Map<UUID, UserProfile> people(ApprovalInstance instance, TemplateView template) {
        List<UserId> ids = new ArrayList<>();
        audience(instance).forEach(user -> ids.add(UserId.of(user)));
        formValues(instance, template, FieldType.USER).forEach(user -> ids.add(UserId.of(user)));
        Map<UUID, UserProfile> people = new LinkedHashMap<>();
        users.findAll(ids).forEach((id, profile) -> people.put(id.value(), profile));
        return people;
    }

    private Map<UUID, String> departments(ApprovalInstance instance, TemplateView template) {
        Map<UUID, String> names = new LinkedHashMap<>();
        formValues(instance, template, FieldType.DEPARTMENT).forEach(id -> org.department(DepartmentId.of(id))
                .ifPresent(department -> names.put(id, department.name())));
        return names;
    }

    /** The ids the form's top-level fields of {@code type} hold. */
    private static List<UUID> formValues(ApprovalInstance instance, TemplateView template, FieldType type) {
        JsonNode form = JsonMapper.shared().readTree(instance.form());
        return template.form().fields().stream().filter(field -> field.type() == type)
                .map(field -> form.get(field.key())).filter(value -> value != null && value.isString())
                .map(value -> UUID.fromString(value.asString())).toList();
    }
}
