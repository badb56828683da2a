package io.chorus.platform.internal;

import java.time.Clock;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code Idempotency-Key} for the integration API's creating POSTs (see {@link IdempotencyKeyFilter}). */
@Configuration(proxyBeanMethods = false)
class IdempotencyConfiguration {

    @Bean
    IdempotentRequests idempotentRequests(JdbcClient jdbc, IdempotencyProperties properties) {
        return new IdempotentRequests(jdbc, properties);
    }

    /** After Spring Security's filter chain: the caller is known, and an unauthenticated request claims nothing. */
    @Bean
    FilterRegistrationBean<IdempotencyKeyFilter> idempotencyKeyFilter(IdempotentRequests requests,
            IdempotencyProperties properties, Clock clock) {
        FilterRegistrationBean<IdempotencyKeyFilter> registration = new FilterRegistrationBean<>(
                new IdempotencyKeyFilter(requests, properties, clock));
        registration.addUrlPatterns(IdempotencyKeyFilter.PATH_PREFIX + "*");
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 10);
        return registration;
    }
}
