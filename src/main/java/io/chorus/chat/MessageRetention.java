package io.chorus.chat;

import io.chorus.chat.ChatEvents.HoldSubject;
import io.chorus.chat.internal.ChatProperties;
import io.chorus.chat.internal.ConversationStore;
import io.chorus.chat.internal.MessageStore;
import io.chorus.chat.internal.MessageStore.Purged;
import io.chorus.chat.internal.RetentionStore;
import io.chorus.chat.internal.RetentionStore.HoldRow;
import io.chorus.chat.internal.RetentionStore.PolicyRow;
import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How long message content is kept, and legal holds that keep it longer. A message expires
 * when it is older than its conversation's period (the override, else the global default; no
 * period keeps it forever). The purge erases the content of expired messages that no active
 * hold covers, and keeps their row and seq, so sequences stay gapless. Recall never destroys
 * content, so holds need nothing from it.
 */
@Service
public class MessageRetention {

    public static final int MIN_DAYS = 1;
    public static final int MAX_DAYS = 36_500;

    private final RetentionStore store;
    private final MessageStore messages;
    private final ConversationStore conversations;
    private final UserDirectory users;
    private final ApplicationEventPublisher events;
    private final ChatProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;

    MessageRetention(RetentionStore store, MessageStore messages, ConversationStore conversations,
            UserDirectory users, ApplicationEventPublisher events, ChatProperties properties,
            TransactionTemplate transactions, Clock clock) {
        this.store = store;
        this.messages = messages;
        this.conversations = conversations;
        this.users = users;
        this.events = events;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** The global period; {@code messageRetentionDays} null keeps forever. Never set: all null. */
    public record GlobalRetention(Integer messageRetentionDays, UUID updatedBy, Instant updatedAt) {
    }

    /** A conversation's own period, which wins over the global one. */
    public record ConversationRetention(UUID conversationId, int messageRetentionDays, UUID updatedBy,
            Instant updatedAt) {
    }

    /** What one purge run did. */
    public record PurgeReport(Instant startedAt, Instant finishedAt, int batches, int messages, int conversations) {
    }

    // ---------------------------------------------------------------- policies

    @Transactional(readOnly = true)
    public GlobalRetention global() {
        return store.global().map(MessageRetention::global).orElse(new GlobalRetention(null, null, null));
    }

    /** Sets the global period; {@code days} null keeps messages forever. Setting the same period changes nothing. */
    @Transactional
    public GlobalRetention setGlobal(UserId by, Integer days) {
        validDays(days);
        store.lockPolicies();
        Integer old = store.global().map(PolicyRow::retentionDays).orElse(null);
        if (!Objects.equals(old, days)) {
            Instant now = clock.instant();
            store.save(null, days, by.value(), now);
            events.publishEvent(new ChatEvents.RetentionPolicyChanged(null, old, days, by, now));
        }
        return global();
    }

    /** Every conversation with its own period. */
    @Transactional(readOnly = true)
    public List<ConversationRetention> overrides() {
        return store.overrides().stream().map(MessageRetention::override).toList();
    }

    @Transactional
    public ConversationRetention setOverride(UserId by, ConversationId id, int days) {
        validDays(days);
        existing(id);
        store.lockPolicies();
        Integer old = store.override(id.value()).map(PolicyRow::retentionDays).orElse(null);
        if (!Objects.equals(old, days)) {
            Instant now = clock.instant();
            store.save(id.value(), days, by.value(), now);
            events.publishEvent(new ChatEvents.RetentionPolicyChanged(id, old, days, by, now));
        }
        return store.override(id.value()).map(MessageRetention::override).orElseThrow();
    }

    /** The conversation follows the global period again. Idempotent. */
    @Transactional
    public void clearOverride(UserId by, ConversationId id) {
        existing(id);
        store.lockPolicies();
        store.override(id.value()).ifPresent(old -> {
            store.deleteOverride(id.value());
            events.publishEvent(new ChatEvents.RetentionPolicyChanged(id, old.retentionDays(), null, by,
                    clock.instant()));
        });
    }

    private void existing(ConversationId id) {
        if (conversations.find(id.value()).isEmpty()) {
            throw ChorusProblem.notFound(ChatProblems.CONVERSATION_NOT_FOUND, "No such conversation.");
        }
    }

    private static void validDays(Integer days) {
        if (days != null && (days < MIN_DAYS || days > MAX_DAYS)) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "A retention period is " + MIN_DAYS + " to " + MAX_DAYS + " days.");
        }
    }

    // ---------------------------------------------------------------- legal holds

    /**
     * Places a hold. Its subject must exist: a user Chorus knows (deactivated ones too: their
     * messages matter most) or a conversation. It protects from the moment it commits; a purge
     * batch running meanwhile finishes first.
     */
    @Transactional
    public LegalHold placeHold(UserId by, PlaceLegalHold command) {
        boolean known = switch (command.subjectType()) {
            case USER -> users.find(UserId.of(command.subjectId())).isPresent();
            case CONVERSATION -> conversations.find(command.subjectId()).isPresent();
        };
        if (!known) {
            throw ChorusProblem.unprocessable(ChatProblems.HOLD_SUBJECT_NOT_FOUND,
                    "No such " + command.subjectType().name().toLowerCase() + ": " + command.subjectId());
        }
        Instant now = clock.instant();
        HoldRow hold = new HoldRow(UUID.randomUUID(), command.subjectType().name(), command.subjectId(),
                command.from(), command.to(), command.reason(), by.value(), now, null, null);
        store.insertHold(hold);
        events.publishEvent(new ChatEvents.LegalHoldPlaced(hold.id(), command.subjectType(), command.subjectId(),
                command.from(), command.to(), command.reason(), by, now));
        return hold(store.hold(hold.id()).orElseThrow());
    }

    /** Releases an active hold; from then on its messages expire like any others. */
    @Transactional
    public LegalHold releaseHold(UserId by, UUID holdId) {
        Instant now = clock.instant();
        HoldRow released = store.release(holdId, by.value(), now).orElseThrow(() -> store.hold(holdId).isPresent()
                ? ChorusProblem.conflict(ChatProblems.LEGAL_HOLD_RELEASED, "This legal hold was already released.")
                : ChorusProblem.notFound(ChatProblems.LEGAL_HOLD_NOT_FOUND, "No such legal hold."));
        events.publishEvent(new ChatEvents.LegalHoldReleased(released.id(), HoldSubject.valueOf(released.subjectType()),
                released.subjectId(), by, now));
        return hold(released);
    }

    @Transactional(readOnly = true)
    public Optional<LegalHold> hold(UUID holdId) {
        return store.hold(holdId).map(MessageRetention::hold);
    }

    /** Every hold, active and released; active ones first, newest first. */
    @Transactional(readOnly = true)
    public List<LegalHold> holds() {
        return store.holds().stream().map(MessageRetention::hold).toList();
    }

    // ---------------------------------------------------------------- purge

    /** Purges expired messages in batches of the configured size. */
    public PurgeReport purgeExpired() {
        return purgeExpired(properties.retention().purgeBatchSize());
    }

    /**
     * Erases the content of every expired, unheld message, {@code batchSize} at a time, each
     * batch in its own transaction that publishes one {@link ChatEvents.MessagesPurged} per
     * conversation it touched. Several nodes may purge at once: each skips rows another holds.
     * Cutoffs are fixed when the run starts.
     */
    public PurgeReport purgeExpired(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive");
        }
        Instant started = clock.instant();
        Tally tally = new Tally();
        for (PolicyRow override : transactions.execute(status -> store.overrides())) {
            Instant cutoff = started.minus(Duration.ofDays(override.retentionDays()));
            purgeAll(tally, batchSize, cutoff,
                    () -> messages.purgeInConversation(override.conversationId(), cutoff, batchSize, clock.instant()));
        }
        Integer globalDays = transactions.execute(status -> store.global().map(PolicyRow::retentionDays).orElse(null));
        if (globalDays != null) {
            Instant cutoff = started.minus(Duration.ofDays(globalDays));
            purgeAll(tally, batchSize, cutoff, () -> messages.purgeByDefault(cutoff, batchSize, clock.instant()));
        }
        return new PurgeReport(started, clock.instant(), tally.batches, tally.messages, tally.conversations.size());
    }

    private static final class Tally {
        int batches;
        int messages;
        final Set<UUID> conversations = new HashSet<>();
    }

    /** Batches until one comes back short: nothing more to purge, or the rest is another node's. */
    private void purgeAll(Tally tally, int batchSize, Instant cutoff, Supplier<List<Purged>> batch) {
        while (true) {
            List<Purged> purged = Objects.requireNonNull(transactions.execute(status -> {
                messages.lockHoldsForPurge();
                List<Purged> rows = batch.get();
                Instant now = clock.instant();
                Map<UUID, long[]> ranges = new LinkedHashMap<>();
                for (Purged row : rows) {
                    long[] range = ranges.computeIfAbsent(row.conversationId(),
                            c -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0});
                    range[0] = Math.min(range[0], row.seq());
                    range[1] = Math.max(range[1], row.seq());
                    range[2]++;
                }
                ranges.forEach((conversation, range) -> events.publishEvent(new ChatEvents.MessagesPurged(
                        ConversationId.of(conversation), range[0], range[1], (int) range[2], cutoff, now)));
                return rows;
            }));
            if (!purged.isEmpty()) {
                tally.batches++;
                tally.messages += purged.size();
                purged.forEach(row -> tally.conversations.add(row.conversationId()));
            }
            if (purged.size() < batchSize) {
                return;
            }
        }
    }

    private static GlobalRetention global(PolicyRow row) {
        return new GlobalRetention(row.retentionDays(), row.updatedBy(), row.updatedAt());
    }

    private static ConversationRetention override(PolicyRow row) {
        return new ConversationRetention(row.conversationId(), row.retentionDays(), row.updatedBy(), row.updatedAt());
    }

    private static LegalHold hold(HoldRow row) {
        return new LegalHold(row.id(), HoldSubject.valueOf(row.subjectType()), row.subjectId(), row.from(), row.to(),
                row.reason(), row.placedBy(), row.placedAt(), row.releasedAt() == null, row.releasedBy(),
                row.releasedAt());
    }
}
