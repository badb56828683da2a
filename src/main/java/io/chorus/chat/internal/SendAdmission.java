package io.chorus.chat.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chorus.identity.UserId;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Decides whether a send is taken on, for the STOMP and the REST edge alike, so that past
 * capacity the server answers at once instead of queueing without bound:
 * <ul>
 * <li>{@link #charge}: one token bucket per user for every send they make, whatever the session
 * or protocol. Opening more sessions or switching to REST buys no more.</li>
 * <li>{@link #admit}: a bounded number of sends stored at once. A send that finds no free slot
 * within a short wait, or (STOMP) already waited too long in the inbound queue, is refused with
 * OVERLOADED; the accepted ones are not slowed by the ones that would only queue.</li>
 * </ul>
 * Both budgets live in this node's memory: with several nodes they are per node.
 */
@Component
public class SendAdmission {

    private final ChatProperties.SendBudget budget;
    private final ChatProperties.Overload overload;
    private final Semaphore slots;
    /** Idle users' buckets go once they would be full again anyway, so memory follows active users. */
    private final Cache<UserId, Bucket> buckets;

    SendAdmission(ChatProperties properties) {
        this.budget = properties.sendBudget();
        this.overload = properties.overload();
        this.slots = new Semaphore(overload.maxConcurrentSends());
        Duration refill = budget.period().multipliedBy(budget.burst()).dividedBy(budget.rate());
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(refill.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : refill)
                .build();
    }

    /**
     * Takes one send from the user's budget.
     *
     * @throws SendRefused {@code RATE_LIMITED}, saying when the next send will be accepted
     */
    public void charge(UserId user) {
        ConsumptionProbe probe = buckets.get(user, any -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw SendRefused.overBudget(Duration.ofNanos(probe.getNanosToWaitForRefill()));
        }
    }

    /**
     * Runs {@code send} in one of the limited slots.
     *
     * @throws SendRefused {@code OVERLOADED} when no slot frees up within {@code slot-wait}
     */
    public <T> T admit(Supplier<T> send) {
        boolean acquired;
        try {
            acquired = slots.tryAcquire(overload.slotWait().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw SendRefused.overloaded(overload.retryAfter());
        }
        try {
            return send.get();
        } finally {
            slots.release();
        }
    }

    /**
     * As {@link #admit(Supplier)}, for a frame that has waited since {@code receivedAtNanos}
     * ({@link System#nanoTime()}) to be handled: one that waited longer than
     * {@code max-queue-wait} is refused unprocessed, so what is accepted past capacity is still
     * answered quickly and the backlog drains fast.
     */
    public <T> T admit(long receivedAtNanos, Supplier<T> send) {
        if (System.nanoTime() - receivedAtNanos > overload.maxQueueWait().toNanos()) {
            throw SendRefused.overloaded(overload.retryAfter());
        }
        return admit(send);
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(budget.burst()).refillGreedy(budget.rate(), budget.period()).build())
                .build();
    }
}
