package io.chorus.search.internal.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.cluster.HealthResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.chorus.search.SearchSort;
import io.chorus.search.internal.engine.EngineHit;
import io.chorus.search.internal.engine.EngineQuery;
import io.chorus.search.internal.engine.IndexedMessage;
import io.chorus.search.internal.engine.SearchEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.chorus.search.internal.SearchEngineChoice;
import io.chorus.search.internal.SearchEngineChoice.ForEngine;
import org.springframework.stereotype.Component;

/**
 * The engine for scale: messages in an Elasticsearch index behind an alias (see
 * {@link MessageIndexLayout}), matched the way the PostgreSQL engine matches them. The cluster is
 * Boot's {@code spring.elasticsearch.*}; Boot's own Elasticsearch health indicator is off, since
 * search reports its health itself through {@link #reachable()}.
 */
@Component
@ForEngine(SearchEngineChoice.ELASTICSEARCH)
class ElasticsearchSearchEngine implements SearchEngine {

    /** Health must answer quickly even when the cluster hangs instead of refusing connections. */
    private static final Duration REACHABLE_TIMEOUT = Duration.ofSeconds(2);

    private final ElasticsearchClient client;
    private final ElasticsearchAsyncClient asyncClient;
    private final ElasticsearchIndexProperties properties;
    private final MessageWriter writer;
    private final Clock clock;

    ElasticsearchSearchEngine(ElasticsearchClient client, ElasticsearchIndexProperties properties, Clock clock) {
        this.client = client;
        this.asyncClient = new ElasticsearchAsyncClient(client._transport(), client._transportOptions());
        this.properties = properties;
        this.writer = new MessageWriter(client, properties.refreshOnWrite());
        this.clock = clock;
    }

    @Override
    public String name() {
        return "elasticsearch";
    }

    /**
     * Writes to the alias searchers read and, while any node rebuilds the index, to the rebuild's
     * index too. The rebuild is looked up in the cluster before each batch, not remembered here:
     * a document read from chat before the lookup saw no rebuild is one the rebuild reads again
     * later, so nothing sent meanwhile is missing from the new index on any node.
     *
     * <p>A rebuild that upgrades an index of an older mapping is written alone: the outgoing
     * index's strict mapping refuses today's fields, so writing there too would fail every
     * document and hold the queue until the swap. Messages sent meanwhile are searchable once
     * the new index is swapped in.
     */
    @Override
    public Collection<Long> index(List<IndexedMessage> documents) {
        if (documents.isEmpty()) {
            return List.of();
        }
        String rebuildAlias = MessageIndexLayout.rebuildAlias(properties.index());
        boolean rebuilding = call(() -> client.indices().existsAlias(e -> e.name(rebuildAlias))).value();
        if (rebuilding && readsOlderMapping()) {
            return writer.write(documents, rebuildAlias, null).written();
        }
        return writer.write(documents, properties.index(), rebuilding ? rebuildAlias : null).written();
    }

    /** Whether the alias searchers read points to an index of an older mapping; false when it is missing. */
    private boolean readsOlderMapping() {
        String alias = properties.index();
        return call(() -> client.indices().getMapping(m -> m.index(alias).ignoreUnavailable(true)
                .allowNoIndices(true))).mappings().values().stream()
                .anyMatch(index -> MessageIndexLayout.mappingVersion(index.mappings())
                        < MessageIndexLayout.MAPPING_VERSION);
    }

    @Override
    public List<EngineHit> search(EngineQuery query) {
        if (isEmpty(query.conversations()) || isEmpty(query.senders())) {
            return List.of(); // nothing is in no conversation: no need to ask
        }
        SearchResponse<MessageDocument> response = call(
                () -> client.search(MessageQuery.of(query, properties.index()), MessageDocument.class));
        boolean newest = query.effectiveSort() == SearchSort.NEWEST;
        return response.hits().hits().stream()
                .map(hit -> new EngineHit(hit.source().toMessage(), newest ? 0 : score(hit)))
                .toList();
    }

    private static boolean isEmpty(Set<UUID> filter) {
        return filter != null && filter.isEmpty();
    }

    private static double score(Hit<MessageDocument> hit) {
        return hit.score() == null ? 0 : hit.score();
    }

    @Override
    public boolean reachable() {
        CompletableFuture<HealthResponse> health = asyncClient.cluster().health();
        try {
            health.get(REACHABLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception unreachable) {
            health.cancel(true);
            return false;
        }
    }

    @Override
    public boolean needsRebuild() {
        String alias = properties.index();
        if (!call(() -> client.indices().existsAlias(e -> e.name(alias))).value()) {
            return true;
        }
        return call(() -> client.indices().getMapping(m -> m.index(alias))).mappings().values().stream()
                .anyMatch(index -> MessageIndexLayout.mappingVersion(index.mappings())
                        != MessageIndexLayout.MAPPING_VERSION);
    }

    @Override
    public Rebuild startRebuild() {
        String target = MessageIndexLayout.concreteName(properties.index(), clock.instant());
        return IndexRebuild.start(client, writer, properties.index(), target, properties.replicas());
    }

    interface Call<T> {
        T run() throws IOException;
    }

    /** A cluster that cannot be reached is an unchecked failure here: callers queue and retry. */
    static <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch did not answer", e);
        }
    }
}
