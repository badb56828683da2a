package io.chorus.integration.internal;

import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The integrations' rate-limit buckets in {@code integration.rate_limit_bucket}, charged on {@code /api/**}. */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration implements WebMvcConfigurer {

    static final String TABLE = "integration.rate_limit_bucket";

    /** A full bucket's row stays this long, so a key used every few seconds is not re-inserted each time. */
    private static final Duration KEEP_WHEN_FULL = Duration.ofMinutes(1);

    private final RateLimitInterceptor interceptor;

    RateLimitConfiguration(RateLimitInterceptor interceptor) {
        this.interceptor = interceptor;
    }

    @Bean
    static PostgreSQLSelectForUpdateBasedProxyManager<String> rateLimitBuckets(DataSource dataSource, Clock clock) {
        return buckets(dataSource, clock);
    }

    /**
     * The row-locking variant ({@code SELECT … FOR UPDATE}, then {@code UPDATE}, in a transaction
     * of its own): two statements per charge against three for the advisory-lock variant, keys
     * that are readable text rather than numbers to hash, and a cleanup that skips locked rows so
     * it never waits behind a request. Time is the application's clock, so a test moves it
     * instead of waiting for a refill.
     */
    static PostgreSQLSelectForUpdateBasedProxyManager<String> buckets(DataSource dataSource, Clock clock) {
        return Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table(TABLE)
                .idColumn("id")
                .stateColumn("state")
                .expiresAtColumn("expires_at")
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_WHEN_FULL))
                .clientClock(new ClockTime(clock))
                .build();
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(interceptor).addPathPatterns("/api/**");
    }

    /** Bucket4j's time from the application's clock (wall-clock time, as the expiry column needs). */
    private record ClockTime(Clock clock) implements TimeMeter {

        @Override
        public long currentTimeNanos() {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
