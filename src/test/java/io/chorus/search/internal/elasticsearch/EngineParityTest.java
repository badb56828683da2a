package io.chorus.search.internal.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import io.chorus.search.RelevanceMeasures;
import io.chorus.search.SearchSort;
import io.chorus.search.internal.engine.EngineHit;
import io.chorus.search.internal.engine.EngineQuery;
import io.chorus.search.internal.engine.IndexedMessage;
import io.chorus.search.internal.engine.SearchEngine;
import io.chorus.search.internal.query.ParsedQuery;
import io.chorus.search.internal.query.QueryParser;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.ElasticsearchNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * "Two engines, one behaviour", measured: the judged relevance set is written into the
 * PostgreSQL engine (the application's) and into an Elasticsearch engine on a real node, and
 * every judged query must find exactly the same messages on both, with MRR at 10 within
 * {@link #MAX_MRR_DIFFERENCE} of each other. Prints each engine's mean P@10, R@10, MRR and nDCG@10.
 */
@ChorusIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EngineParityTest {

    static final double MAX_MRR_DIFFERENCE = 0.02;
    private static final Instant BASE = Instant.parse("2026-03-02T08:00:00Z");

    @Autowired
    SearchEngine postgres;

    private Rest5Client rest;

    @AfterAll
    void closeClient() throws IOException {
        if (rest != null) {
            rest.close();
        }
    }

    @Test
    void everyJudgedQueryFindsTheSameMessagesOnBothEnginesAndRanksThemAlike() throws IOException {
        assertThat(postgres.name()).isEqualTo("postgres");
        rest = Rest5Client.builder(URI.create(ElasticsearchNode.get().uri())).build();
        ElasticsearchClient client = new ElasticsearchClient(new Rest5ClientTransport(rest, new Jackson3JsonpMapper()));
        SearchEngine elasticsearch = new ElasticsearchSearchEngine(client, new ElasticsearchIndexProperties(
                "chorus-parity-" + UUID.randomUUID().toString().substring(0, 8), true, 0), Clock.systemUTC());
        elasticsearch.startRebuild().complete();

        JsonNode set;
        try (InputStream in = getClass().getResourceAsStream("/search/relevance-set.json")) {
            set = JsonMapper.builder().build().readTree(in);
        }
        Map<String, UUID> conversations = new HashMap<>();
        set.get("conversations").forEach(name -> conversations.put(name.asString(), UUID.randomUUID()));
        Map<String, UUID> senders = new HashMap<>();
        Map<Long, String> keyOf = new HashMap<>();
        List<IndexedMessage> documents = new ArrayList<>();
        // Ids far above the chat sequence's, and random, so this set never meets another test's documents.
        long firstId = 2_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000) * 1_000;
        for (JsonNode m : set.get("messages")) {
            long id = firstId + documents.size();
            keyOf.put(id, m.get("key").asString());
            documents.add(new IndexedMessage(id, conversations.get(m.get("conversation").asString()),
                    documents.size() + 1, senders.computeIfAbsent(m.get("sender").asString(), s -> UUID.randomUUID()),
                    BASE.plus(Duration.ofMinutes(documents.size())), m.get("text").asString(), List.of(), Set.of(),
                    false, false, false, false, 1));
        }
        assertThat(postgres.index(documents)).hasSize(documents.size());
        assertThat(elasticsearch.index(documents)).hasSize(documents.size());

        Set<UUID> reach = Set.copyOf(conversations.values());
        List<String> different = new ArrayList<>();
        List<String> reordered = new ArrayList<>();
        List<RelevanceMeasures> onPostgres = new ArrayList<>();
        List<RelevanceMeasures> onElasticsearch = new ArrayList<>();
        for (JsonNode judged : set.get("queries")) {
            String q = judged.get("q").asString();
            ParsedQuery parsed = QueryParser.parse(q);
            EngineQuery query = new EngineQuery(parsed.include(), parsed.exclude(), reach, null, null, null, null,
                    false, SearchSort.RELEVANCE, 0, null, documents.size());
            List<String> fromPostgres = keys(postgres.search(query), keyOf);
            List<String> fromElasticsearch = keys(elasticsearch.search(query), keyOf);
            if (!new HashSet<>(fromPostgres).equals(new HashSet<>(fromElasticsearch))) {
                different.add(q + ": postgres " + fromPostgres + ", elasticsearch " + fromElasticsearch);
            } else if (!fromPostgres.equals(fromElasticsearch)) {
                reordered.add(q + ": postgres " + fromPostgres + ", elasticsearch " + fromElasticsearch);
            }
            Set<String> relevant = new LinkedHashSet<>();
            judged.get("relevant").forEach(key -> relevant.add(key.asString()));
            onPostgres.add(RelevanceMeasures.of(fromPostgres, relevant));
            onElasticsearch.add(RelevanceMeasures.of(fromElasticsearch, relevant));
        }

        RelevanceMeasures postgresMean = RelevanceMeasures.mean(onPostgres);
        RelevanceMeasures elasticsearchMean = RelevanceMeasures.mean(onElasticsearch);
        System.out.printf("Parity on %d judged queries over %d messages:%n  postgres      %s%n  elasticsearch %s%n",
                onPostgres.size(), documents.size(), postgresMean, elasticsearchMean);
        reordered.forEach(line -> System.out.println("  same hits, other order: " + line));
        assertThat(different).as("queries whose hits differ between the engines").isEmpty();
        assertThat(Math.abs(postgresMean.reciprocalRank() - elasticsearchMean.reciprocalRank()))
                .as("MRR difference").isLessThanOrEqualTo(MAX_MRR_DIFFERENCE);
    }

    private static List<String> keys(List<EngineHit> hits, Map<Long, String> keyOf) {
        return hits.stream().map(hit -> keyOf.get(hit.message().messageId())).toList();
    }
}
