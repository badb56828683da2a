package io.chorus.search.internal.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import io.chorus.search.internal.engine.IndexedMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes messages in one {@code _bulk} to one or two aliases, never letting an older version
 * replace a newer one: each document carries chat's message version as an external version, so
 * Elasticsearch itself refuses (409) whatever is older than what it holds. Every write goes
 * through an alias with {@code require_alias}, so a missing index is an error, never an index
 * auto-created with a guessed mapping.
 */
final class MessageWriter {

    private static final int CONFLICT = 409;
    private static final int NOT_FOUND = 404;

    private final ElasticsearchClient client;
    private final boolean refreshOnWrite;

    MessageWriter(ElasticsearchClient client, boolean refreshOnWrite) {
        this.client = client;
        this.refreshOnWrite = refreshOnWrite;
    }

    /** What one bulk achieved: the ids every target now holds (that version or a newer one), and why others failed. */
    record Outcome(Set<Long> written, List<String> failures) {
    }

    /**
     * Writes {@code documents} to {@code alias} and, when not null, to {@code optionalAlias} as
     * well; a document is written when both hold it. The optional alias may have vanished since
     * the caller looked (a rebuild that ended meanwhile): its absence is no failure.
     */
    Outcome write(List<IndexedMessage> documents, String alias, String optionalAlias) {
        List<String> targets = optionalAlias == null ? List.of(alias) : List.of(alias, optionalAlias);
        List<BulkOperation> operations = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        List<String> operationTargets = new ArrayList<>();
        for (IndexedMessage message : documents) {
            MessageDocument document = MessageDocument.of(message);
            for (String target : targets) {
                operations.add(BulkOperation.of(b -> b.index(i -> i
                        .index(target)
                        .id(String.valueOf(message.messageId()))
                        .version(message.version())
                        .versionType(VersionType.ExternalGte)
                        .requireAlias(true)
                        .document(document))));
                ids.add(message.messageId());
                operationTargets.add(target);
            }
        }
        BulkResponse response;
        try {
            response = client.bulk(b -> b.operations(operations).refresh(refreshOnWrite ? Refresh.WaitFor : null));
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch did not take the bulk write", e);
        }
        // Items answer the operations one for one, in order; ids alone cannot tell the two targets apart.
        Map<Long, Boolean> written = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        List<BulkResponseItem> items = response.items();
        for (int k = 0; k < items.size(); k++) {
            BulkResponseItem item = items.get(k);
            boolean ok = item.error() == null
                    // A newer version is there already: this document is as written as it will ever be.
                    || item.status() == CONFLICT
                    || item.status() == NOT_FOUND && operationTargets.get(k).equals(optionalAlias);
            if (!ok) {
                failures.add(item.index() + "/" + item.id() + ": " + item.status() + " " + item.error().reason());
            }
            written.merge(ids.get(k), ok, Boolean::logicalAnd);
        }
        Set<Long> done = new LinkedHashSet<>();
        written.forEach((id, ok) -> {
            if (ok) {
                done.add(id);
            }
        });
        return new Outcome(done, failures);
    }
}
