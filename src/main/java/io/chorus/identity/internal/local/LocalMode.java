package io.chorus.identity.internal.local;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Beans that exist only in local mode: {@code chorus.identity.local.enabled} and no external
 * issuer. Configuring a Keycloak issuer switches all of them off, whatever else is set.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Conditional(LocalMode.Condition.class)
public @interface LocalMode {

    class Condition extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            boolean enabled = context.getEnvironment().getProperty("chorus.identity.local.enabled", Boolean.class, false);
            String issuer = context.getEnvironment().getProperty("chorus.identity.issuer-uri", "");
            if (enabled && issuer.isBlank()) {
                return ConditionOutcome.match("local mode is on and no external issuer is configured");
            }
            return ConditionOutcome.noMatch("local mode is off or an external issuer is configured");
        }
    }
}
