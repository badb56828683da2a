package io.chorus.platform.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * One log line per HTTP request (logger {@code io.chorus.access}): method, path, status and
 * duration, with the request id, user id and trace id of every line. Off by default: a busy
 * node writes a line per request, and the ingress usually logs the same.
 */
@Validated
@ConfigurationProperties("chorus.platform.access-log")
record AccessLogProperties(@DefaultValue("false") boolean enabled) {
}
