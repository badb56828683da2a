package io.chorus.platform.internal;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PlatformConfiguration {

    /** The one source of "now", so that time-dependent rules can be exercised deliberately. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    StrictJson strictJson() {
        return new StrictJson();
    }
}
