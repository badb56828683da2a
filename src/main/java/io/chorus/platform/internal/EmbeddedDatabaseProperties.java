package io.chorus.platform.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The real PostgreSQL that local mode and the test suite run on, from binaries on the
 * classpath. {@code dataDirectory} empty means a throw-away directory.
 */
@Validated
@ConfigurationProperties("chorus.platform.embedded-database")
record EmbeddedDatabaseProperties(
        @DefaultValue("false") boolean enabled,
        String dataDirectory,
        @DefaultValue("0") int port) {
}
