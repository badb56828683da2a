package io.chorus.integration.internal;

import io.chorus.platform.ChorusProblem;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

/**
 * Token buckets of integrations, kept in PostgreSQL so that every node spends from the same
 * budget (see docs/integrations-limits.md). The REST edge charges each request of a token or an
 * integration account through {@link RateLimitInterceptor}; other integration code charges its own
 * keys (an incoming webhook per hook, a slash command per bot) with {@link #charge(String, Limit)}.
 */
@Component
public class IntegrationLimits {

    /** RFC 9457 extension member of a 429 naming which budget is spent. */
    static final String LIMIT_MEMBER = "limit";

    private final ProxyManager<String> buckets;

    IntegrationLimits(ProxyManager<String> rateLimitBuckets) {
        this.buckets = rateLimitBuckets;
    }

    /**
     * {@code rate} requests per {@code period}, refilled continuously, of which up to {@code burst}
     * may come at once. Written {@code 600/1m} (the burst is the rate) or {@code 1/1s burst 20}.
     */
    public record Limit(long rate, Duration period, long burst) {

        private static final Pattern SPEC = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\S+?)(?:\\s+burst\\s+(\\d+))?\\s*");

        public Limit {
            if (rate < 1 || burst < 1 || period == null || period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("A limit needs a positive rate, period and burst: " + rate + "/"
                        + period + " burst " + burst);
            }
        }

        /** Reads {@code 600/1m} or {@code 1/1s burst 20}; how configuration properties are bound. */
        public static Limit valueOf(String spec) {
            Matcher parts = SPEC.matcher(spec.toLowerCase(Locale.ROOT));
            if (!parts.matches()) {
                throw new IllegalArgumentException("Not a limit (write 600/1m or 1/1s burst 20): " + spec);
            }
            long rate = Long.parseLong(parts.group(1));
            Duration period = DurationStyle.detectAndParse(parts.group(2));
            return new Limit(rate, period, parts.group(3) == null ? rate : Long.parseLong(parts.group(3)));
        }

        /** The limit as written in configuration; part of each bucket's key, so a changed limit starts afresh. */
        @Override
        public String toString() {
            return rate + "/" + DurationStyle.SIMPLE.print(period) + " burst " + burst;
        }

        BucketConfiguration configuration() {
            return BucketConfiguration.builder()
                    .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(rate, period).build())
                    .build();
        }
    }

    /** One budget a request spends from; {@code kind} is what a refusal names ({@code token}, {@code endpoint}…). */
    record Charge(String key, Limit limit, String kind, String refusal) {
    }

    /**
     * Takes one request from the bucket {@code bucketKey} (keys of different uses must not collide:
     * prefix them, {@code webhook:<hook id>}).
     *
     * @throws ChorusProblem 429 {@code RATE_LIMITED} with {@code Retry-After}, and {@code limit: "custom"}
     */
    public void charge(String bucketKey, Limit limit) {
        charge(List.of(new Charge(bucketKey, limit, "custom", "Too many requests; try again after Retry-After.")));
    }

    /**
     * Takes one request from each bucket in order. When one is spent the request is refused and
     * what the earlier ones gave is given back: a refused request costs no budget.
     */
    void charge(List<Charge> charges) {
        List<BucketProxy> taken = new ArrayList<>(charges.size());
        for (Charge charge : charges) {
            BucketProxy bucket = buckets.builder()
                    .build(charge.key() + "|" + charge.limit(), charge.limit()::configuration);
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                taken.forEach(spent -> spent.addTokens(1));
                throw ChorusProblem.tooManyRequests(charge.refusal(), retryAfterSeconds(probe))
                        .with(LIMIT_MEMBER, charge.kind());
            }
            taken.add(bucket);
        }
    }

    /** Whole seconds until the bucket holds a request again, rounded up; at least one. */
    static long retryAfterSeconds(ConsumptionProbe probe) {
        long nanos = probe.getNanosToWaitForRefill();
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
