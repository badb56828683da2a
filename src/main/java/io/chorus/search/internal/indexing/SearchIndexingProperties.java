package io.chorus.search.internal.indexing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the indexer drains its queue: {@code batchSize} documents per engine write, an idle poll
 * as a safety net beside the wake-up after each enqueue, a {@code linger} after a wake-up so that
 * one batch takes the messages of many sends (under load one transaction and one engine request
 * instead of one per message), and how long to back off at most while the engine is unreachable.
 */
@ConfigurationProperties("chorus.search.indexing")
record SearchIndexingProperties(@DefaultValue("500") int batchSize, @DefaultValue("1s") Duration idlePoll,
        @DefaultValue("25ms") Duration linger, @DefaultValue("30s") Duration maxBackoff,
        @DefaultValue("1000") int rebuildBatchSize) {
}
