package io.chorus.integration.internal;

import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import io.chorus.identity.UserProfile;
import io.chorus.integration.Bots;
import io.chorus.integration.IntegrationEvents;
import io.chorus.integration.Subscriptions.Status;
import io.chorus.integration.internal.DeliveryStore.Claimed;
import io.chorus.integration.internal.DeliveryStore.Outcome;
import io.chorus.platform.DatabaseUnavailable;
import io.chorus.platform.ScheduledJobs;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends due deliveries. Every node polls; a poll claims (leases, in a short committed
 * transaction) at most {@code concurrency} deliveries, one per subscription, sends them in
 * parallel outside any transaction through {@link Outbound}, and records each result. A node
 * that dies mid-send leaves a lease that runs out, and the delivery is sent again by whoever
 * claims it next: at least once, never by two nodes at the same time.
 *
 * <p>What a result means: 2xx delivered; {@code 410 Gone} switches the subscription off and
 * cancels what waits for it; a target SSRF protection refuses is given up at once; another 4xx
 * (except 408 and 429) is tried {@code client-error-attempts} times; 5xx, 408, 429, timeouts,
 * resets and refused connections follow the whole backoff schedule.
 */
@Configuration(proxyBeanMethods = false)
class DeliveryWorker implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
    private static final int RESPONSE_EXCERPT = 1000;
    private static final int PURGE_BATCH = 1000;
    /** At most this many deliveries of one subscription per round, */
    private static final int LANE_LENGTH = 100;
    /** and a lane takes no new delivery after this long (the one in flight finishes). */
    private static final Duration LANE_TIME = Duration.ofSeconds(10);
    /** Rounds one poll runs back to back while they find work, before its pause. */
    private static final int ROUNDS_PER_POLL = 30;

    private final DeliveryStore deliveries;
    private final SubscriptionStore subscriptions;
    private final BotStore botStore;
    private final Bots bots;
    private final UserDirectory users;
    private final Outbound outbound;
    private final IntegrationProperties.Webhooks properties;
    private final Duration lease;
    private final Backoff backoff;
    private final TransactionTemplate transactions;
    private final SubscriptionIndex index;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final ScheduledJobs jobs;
    private final IntegrationMetrics metrics;
    private final RandomGenerator random = RandomGenerator.getDefault();

    DeliveryWorker(DeliveryStore deliveries, SubscriptionStore subscriptions, BotStore botStore, Bots bots,
            UserDirectory users, Outbound outbound, IntegrationProperties integration,
            TransactionTemplate transactions, SubscriptionIndex index, ApplicationEventPublisher events, Clock clock,
            ScheduledJobs jobs, IntegrationMetrics metrics) {
        this.deliveries = deliveries;
        this.subscriptions = subscriptions;
        this.botStore = botStore;
        this.bots = bots;
        this.users = users;
        this.outbound = outbound;
        this.properties = integration.webhooks();
        // Longer than any request can take, so a live node never loses its claim mid-send.
        IntegrationProperties.OutboundCalls calls = integration.outbound();
        this.lease = calls.connectTimeout().plus(calls.responseTimeout())
                .plus(properties.leaseMargin());
        this.backoff = new Backoff(properties.backoffBase(), properties.backoffMax());
        this.transactions = transactions;
        this.index = index;
        this.events = events;
        this.clock = clock;
        this.jobs = jobs;
        this.metrics = metrics;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        if (properties.scheduled()) {
            // Every node sends: the leases keep a delivery to one node, and more nodes send more.
            jobs.onEveryNode(tasks, "integration.webhook-delivery", Duration.ZERO, properties.pollInterval(), this::poll);
            // Batches of a retention interval's finished deliveries: minutes at worst.
            jobs.onOneNode(tasks, "integration.delivery-purge", Duration.ZERO, properties.retentionInterval(),
                    Duration.ofMinutes(30), this::purge);
        }
    }

    private void poll() {
        try {
            // Anything claimed suggests more may be due: go on at once rather than after a pause,
            // a bounded number of times so that the retention task gets its turn.
            int rounds = 0;
            while (deliverDue() > 0 && ++rounds < ROUNDS_PER_POLL) {
                // the next round claims what became due meanwhile, and other subscriptions
            }
        } catch (RuntimeException retryLater) {
            if (DatabaseUnavailable.isCause(retryLater)) {
                // Logged once for the whole outage (DatabaseAvailability), not every poll.
                log.debug("Webhook deliveries wait for the database", retryLater);
            } else {
                log.warn("Webhook deliveries failed; trying again in {}", properties.pollInterval(), retryLater);
            }
        }
    }

    void purge() {
        try {
            Instant cutoff = clock.instant().minus(properties.retention());
            int removed;
            do {
                removed = deliveries.purgeFinished(cutoff, PURGE_BATCH);
            } while (removed == PURGE_BATCH);
        } catch (RuntimeException retryLater) {
            log.warn("Could not remove old webhook deliveries; trying again in {}", properties.retentionInterval(),
                    retryLater);
        }
    }

    /**
     * Claims up to {@code concurrency} subscriptions with something due and runs a lane for each:
     * the lane sends that subscription's deliveries one after another, claiming the next as soon
     * as one is recorded, until nothing more is due for it or the lane's bound is reached. A slow
     * endpoint holds back only its own lane. Waits for every lane (each request is bounded by the
     * outbound timeouts). Returns how many deliveries were sent (or cancelled).
     */
    int deliverDue() {
        Instant now = clock.instant();
        List<Claimed> claimed = deliveries.claim(now, now.plus(lease), properties.concurrency());
        if (claimed.isEmpty()) {
            return 0;
        }
        long laneEnds = System.nanoTime() + LANE_TIME.toNanos();
        int handled = 0;
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> lanes = new ArrayList<>();
            for (Claimed first : claimed) {
                lanes.add(senders.submit(() -> lane(first, laneEnds)));
            }
            for (Future<Integer> lane : lanes) {
                try {
                    handled += lane.get();
                } catch (Exception e) {
                    log.warn("A webhook lane stopped unexpectedly", e);
                }
            }
        }
        return handled;
    }

    /**
     * One subscription's deliveries in order, one in flight at a time. Bounded in count and time
     * so that a busy subscription cannot keep the subscriptions outside this batch waiting: they
     * are claimed by the next round, at once.
     */
    private int lane(Claimed first, long endsAt) {
        int handled = 0;
        Claimed delivery = first;
        while (delivery != null) {
            try {
                deliver(delivery);
            } catch (RuntimeException e) {
                log.warn("A webhook delivery failed unexpectedly; its lease runs out and it is tried again", e);
                return handled;
            }
            handled++;
            if (handled >= LANE_LENGTH || System.nanoTime() - endsAt > 0) {
                return handled;
            }
            Instant now = clock.instant();
            delivery = deliveries.claimNext(first.subscriptionId(), now, now.plus(lease)).orElse(null);
        }
        return handled;
    }

    private void deliver(Claimed delivery) {
        SubscriptionStore.Row subscription = subscriptions.find(delivery.subscriptionId()).orElse(null);
        if (subscription == null) {
            return; // deleted meanwhile: its deliveries went with it
        }
        if (!subscription.enabled()) {
            deliveries.cancel(delivery, "subscription disabled");
            metrics.delivery(IntegrationMetrics.DeliveryOutcome.CANCELLED);
            return;
        }
        // Whoever owns it must still be active: a deactivated service account or bot account
        // receives nothing more, whatever an index on some node still lists.
        if (users.find(UserId.of(subscription.ownerId())).filter(UserProfile::active).isEmpty()) {
            deliveries.cancel(delivery, "owner inactive");
            metrics.delivery(IntegrationMetrics.DeliveryOutcome.CANCELLED);
            return;
        }
        if (botStore.find(subscription.ownerId()).isPresent() && !bots.active(subscription.ownerId())) {
            deliveries.cancel(delivery, "bot inactive");
            metrics.delivery(IntegrationMetrics.DeliveryOutcome.CANCELLED);
            return;
        }
        Instant startedAt = clock.instant();
        byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
        Outbound.Result result = outbound.post(URI.create(subscription.url()),
                headers(subscription.signingSecrets(startedAt), delivery, startedAt, body), body);
        Outcome outcome = new Outcome(startedAt, result.status(), result.latency().toMillis(), error(result),
                excerpt(result.body()));
        Instant now = clock.instant();
        Verdict verdict = verdict(result, delivery.attempt());
        switch (verdict) {
            case DELIVERED -> deliveries.record(delivery, outcome, Status.SUCCEEDED, null, now);
            case RETRY -> deliveries.record(delivery, outcome, Status.PENDING,
                    now.plus(backoff.after(delivery.attempt(), random)), now);
            case GIVE_UP -> deliveries.record(delivery, outcome, Status.FAILED, null, now);
            case GONE -> gone(delivery, outcome, subscription, now);
        }
        metrics.delivery(switch (verdict) {
            case DELIVERED -> IntegrationMetrics.DeliveryOutcome.DELIVERED;
            case RETRY -> IntegrationMetrics.DeliveryOutcome.RETRY;
            case GIVE_UP -> IntegrationMetrics.DeliveryOutcome.FAILED;
            case GONE -> IntegrationMetrics.DeliveryOutcome.GONE;
        });
    }

    private enum Verdict {
        DELIVERED, RETRY, GIVE_UP, GONE
    }

    private Verdict verdict(Outbound.Result result, int attempt) {
        int status = result.status();
        if (result.succeeded()) {
            return Verdict.DELIVERED;
        }
        if (status == 410) {
            return Verdict.GONE;
        }
        if (result.refused()) {
            return Verdict.GIVE_UP;
        }
        // A redirect (never followed) or a refusal is the endpoint's configuration: it rarely heals by waiting.
        boolean clientError = status >= 300 && status < 500 && status != 408 && status != 429;
        int allowed = clientError ? properties.clientErrorAttempts() : properties.maxAttempts();
        return attempt >= allowed ? Verdict.GIVE_UP : Verdict.RETRY;
    }

    /** The endpoint says it will never take deliveries again: stop sending, and say why in the subscription. */
    private void gone(Claimed delivery, Outcome outcome, SubscriptionStore.Row subscription, Instant now) {
        deliveries.record(delivery, outcome, Status.FAILED, null, now);
        transactions.executeWithoutResult(tx -> {
            String reason = "the endpoint answered 410 Gone at " + now;
            if (subscriptions.disable(subscription.id(), reason, now)) {
                deliveries.cancelPending(subscription.id(), "subscription disabled: 410 Gone", now);
                // Chorus switched it off, nobody asked: the trail says so (no actor) and why.
                events.publishEvent(new IntegrationEvents.SubscriptionChanged(subscription.id(),
                        subscription.ownerId(), subscription.url(), subscription.eventTypes(),
                        subscription.conversationIds(), subscription.description(), false, true, reason, null, now));
            }
        });
        index.changed();
        log.info("Webhook subscription {} disabled: its endpoint answered 410 Gone", subscription.id());
    }

    /** Standard Webhooks headers; during a secret's rotation, one signature per valid secret. */
    private static Map<String, String> headers(List<String> secrets, Claimed delivery, Instant at, byte[] body) {
        Map<String, String> headers = WebhookSignatures.headers(secrets.getFirst(), delivery.id().toString(), at, body);
        if (secrets.size() > 1) {
            List<String> signatures = new ArrayList<>();
            for (String secret : secrets) {
                signatures.add(WebhookSignatures.sign(secret, delivery.id().toString(), at.getEpochSecond(), body));
            }
            headers.put(WebhookSignatures.SIGNATURE, String.join(" ", signatures));
        }
        return headers;
    }

    private static String error(Outbound.Result result) {
        if (result.error() != null) {
            return result.error();
        }
        return result.succeeded() ? null : "HTTP " + result.status();
    }

    /** The start of the answer, for the integrator's log; text only (PostgreSQL text holds no NUL). */
    private static String excerpt(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        String text = new String(body, 0, Math.min(body.length, RESPONSE_EXCERPT * 4), StandardCharsets.UTF_8)
                .replace('\u0000', ' ');
        return text.length() > RESPONSE_EXCERPT ? text.substring(0, RESPONSE_EXCERPT) : text;
    }
}
