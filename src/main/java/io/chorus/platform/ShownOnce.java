package io.chorus.platform;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint whose response carries a secret shown this once (an API token, a webhook's
 * signing secret). Its responses are sent with {@code Cache-Control: no-store}, so no cache keeps
 * them, and {@code Idempotency-Key} never remembers them: a retry makes a new secret instead of
 * replaying the first from storage.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface ShownOnce {
}
