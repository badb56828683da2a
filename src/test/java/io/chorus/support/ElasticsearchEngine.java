package io.chorus.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Runs the annotated {@link ChorusIntegrationTest} on the Elasticsearch engine, against the
 * test JVM's real node ({@link ElasticsearchNode}). Every class with this annotation shares one
 * application and database; a short back-off lets the fault test see recovery quickly.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ContextConfiguration(initializers = ElasticsearchEngine.NodeUri.class)
@TestPropertySource(properties = {"chorus.search.engine=elasticsearch", "chorus.search.indexing.max-backoff=1s"})
public @interface ElasticsearchEngine {

    /** Points the application at the node, starting it on first use. */
    class NodeUri implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            TestPropertySourceUtils.addInlinedPropertiesToEnvironment(context,
                    "spring.elasticsearch.uris=" + ElasticsearchNode.get().uri());
        }
    }
}
