package io.chorus.search.internal.elasticsearch;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Elasticsearch engine's index (used when {@code chorus.search.engine=elasticsearch}); where
 * the cluster is comes from Boot's {@code spring.elasticsearch.*}.
 */
@Validated
@ConfigurationProperties("chorus.search.elasticsearch")
public record ElasticsearchIndexProperties(
        /** The alias searchers read; each build is a concrete index {@code <index>-v<mapping>-<time>} behind it. */
        @NotBlank @DefaultValue("chorus-messages") String index,
        /**
         * Wait until a write is searchable before acknowledging it ({@code refresh=wait_for}). Off in
         * production: the index refreshes every second anyway, and waiting slows the indexer. Tests turn it on.
         */
        @DefaultValue("false") boolean refreshOnWrite,
        /** Replicas of each new index: 1 for a cluster that survives a node, 0 for a single-node cluster. */
        @Min(0) @DefaultValue("1") int replicas) {
}
