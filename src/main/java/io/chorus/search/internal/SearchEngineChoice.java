package io.chorus.search.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Which search engine {@code chorus.search.engine} chooses. A bean annotated
 * {@link ForEngine @ForEngine(X)} exists only when the setting names X. A value that names no
 * engine (a typo such as {@code elastic}) stops the start with the setting, its environment
 * variable and the values it takes, instead of a missing bean somewhere later.
 */
public enum SearchEngineChoice {
    POSTGRES, ELASTICSEARCH;

    static final String SETTING = "chorus.search.engine";

    /** The engine a setting value names; the default, when unset, is PostgreSQL. */
    static SearchEngineChoice of(String value) {
        if (value == null || value.isBlank()) {
            return POSTGRES;
        }
        return Arrays.stream(values()).filter(choice -> choice.name().equalsIgnoreCase(value.strip())).findFirst()
                .orElseThrow(() -> new IllegalStateException(SETTING + " (environment variable CHORUS_SEARCH_ENGINE) is '"
                        + value + "', which names no search engine; use one of: " + Arrays.stream(values())
                        .map(choice -> choice.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                        + "."));
    }

    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Conditional(Chosen.class)
    public @interface ForEngine {
        SearchEngineChoice value();
    }

    static final class Chosen implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Map<String, Object> attributes = metadata.getAnnotationAttributes(ForEngine.class.getName());
            SearchEngineChoice wanted = (SearchEngineChoice) attributes.get("value");
            return of(context.getEnvironment().getProperty(SETTING)) == wanted;
        }
    }
}
