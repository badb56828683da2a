package io.chorus.search.internal.elasticsearch;

import static io.chorus.search.internal.elasticsearch.ElasticsearchSearchEngine.call;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ExpandWildcard;
import co.elastic.clients.elasticsearch.indices.update_aliases.Action;
import io.chorus.search.internal.engine.IndexedMessage;
import io.chorus.search.internal.engine.SearchEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A new concrete index being filled beside the one searchers read. It carries the rebuild alias
 * from creation until it ends, which is how {@link ElasticsearchSearchEngine#index} (on any
 * application node) knows to write there too. Nothing is copied inside Elasticsearch (the
 * integration-test distribution has no {@code _reindex}): the rebuilder streams every message
 * from chat into {@link #write}.
 *
 * <p>The state of a rebuild lives in this object. A crash mid-rebuild leaves its index behind,
 * still holding the rebuild alias; the next rebuild takes the alias over, and the next one to
 * complete deletes every build of the alias other than its own.
 */
final class IndexRebuild implements SearchEngine.Rebuild {

    private static final int NOT_FOUND = 404;

    private final ElasticsearchClient client;
    private final MessageWriter writer;
    private final String alias;
    private final String target;
    private boolean ended;

    private IndexRebuild(ElasticsearchClient client, MessageWriter writer, String alias, String target) {
        this.client = client;
        this.writer = writer;
        this.alias = alias;
        this.target = target;
    }

    /** Creates {@code target} with the current mapping and makes it the rebuild target of {@code alias}. */
    static IndexRebuild start(ElasticsearchClient client, MessageWriter writer, String alias, String target,
            int replicas) {
        String rebuildAlias = MessageIndexLayout.rebuildAlias(alias);
        call(() -> client.indices().create(MessageIndexLayout.create(target, replicas)));
        // One atomic step: an orphan of a crashed rebuild loses the alias as the new index gains it.
        call(() -> client.indices().updateAliases(u -> u
                .actions(a -> a.remove(r -> r.index(MessageIndexLayout.buildsPattern(alias)).alias(rebuildAlias)
                        .mustExist(false)))
                .actions(a -> a.add(ad -> ad.index(target).alias(rebuildAlias).isWriteIndex(true)))));
        return new IndexRebuild(client, writer, alias, target);
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public synchronized void write(List<IndexedMessage> documents) {
        requireRunning();
        if (documents.isEmpty()) {
            return;
        }
        MessageWriter.Outcome outcome = writer.write(documents, MessageIndexLayout.rebuildAlias(alias), null);
        if (!outcome.failures().isEmpty()) {
            // A rebuild that silently skipped messages would be trusted as complete: stop it here instead.
            throw new IllegalStateException(outcome.failures().size() + " documents were not written to " + target
                    + ", e.g. " + outcome.failures().getFirst());
        }
    }

    @Override
    public synchronized void complete() {
        requireRunning();
        // Everything written so far becomes searchable before searchers are pointed at it.
        call(() -> client.indices().refresh(r -> r.index(target)));
        List<String> previous = aliasTargets(alias);
        List<Action> swap = new ArrayList<>();
        previous.forEach(old -> swap.add(Action.of(a -> a.remove(r -> r.index(old).alias(alias)))));
        swap.add(Action.of(a -> a.remove(r -> r.index(target).alias(MessageIndexLayout.rebuildAlias(alias)))));
        swap.add(Action.of(a -> a.add(ad -> ad.index(target).alias(alias))));
        call(() -> client.indices().updateAliases(u -> u.actions(swap)));
        ended = true;
        deleteOtherBuilds();
    }

    @Override
    public synchronized void abandon() {
        if (ended) {
            return;
        }
        ended = true;
        try {
            client.indices().delete(d -> d.index(target));
        } catch (ElasticsearchException e) {
            if (e.status() != NOT_FOUND) {
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch did not delete " + target, e);
        }
    }

    private void requireRunning() {
        if (ended) {
            throw new IllegalStateException("The rebuild into " + target + " has ended");
        }
    }

    /** The concrete indices {@code alias} points to; none before the first rebuild completes. */
    private List<String> aliasTargets(String name) {
        if (!call(() -> client.indices().existsAlias(e -> e.name(name))).value()) {
            return List.of();
        }
        return List.copyOf(call(() -> client.indices().getAlias(g -> g.name(name))).aliases().keySet());
    }

    /**
     * The index searchers read before, and orphans of crashed rebuilds. Deleted by name: a
     * wildcard delete is refused ({@code action.destructive_requires_name}).
     */
    private void deleteOtherBuilds() {
        List<String> others = call(() -> client.indices().get(g -> g
                .index(MessageIndexLayout.buildsPattern(alias))
                .expandWildcards(ExpandWildcard.All)))
                .indices().keySet().stream()
                .filter(index -> MessageIndexLayout.isBuildOf(alias, index))
                .filter(index -> !index.equals(target))
                .toList();
        if (!others.isEmpty()) {
            call(() -> client.indices().delete(d -> d.index(others)));
        }
    }
}
