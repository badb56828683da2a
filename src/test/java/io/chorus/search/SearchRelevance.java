package io.chorus.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Relevance on a judged set written for Chorus ({@code search/relevance-set.json}: 293
 * Chinese, English and mixed messages, 56 queries with the messages a person judged relevant).
 * Loads the set through the REST API, runs every query as a member of every group, prints
 * precision, recall, MRR and nDCG at 10 per query and on average, and fails below the
 * thresholds docs/search.md justifies.
 */
abstract class SearchRelevance {

    /** Mean precision at 10 that an engine must reach (docs/search.md, "Relevance"). */
    static final double MIN_PRECISION = 0.75;
    /** Mean recall at 10 (of min(relevant, 10)) that an engine must reach. */
    static final double MIN_RECALL = 0.85;
    /** Mean reciprocal rank of the first relevant message in the first 10. */
    static final double MIN_MRR = 0.90;

    @Autowired
    TestClients clients;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MessageSearch messageSearch;

    @Test
    void judgedQueriesFindWhatPeopleMeant() throws IOException {
        JsonNode set;
        try (InputStream in = getClass().getResourceAsStream("/search/relevance-set.json")) {
            set = JsonMapper.builder().build().readTree(in);
        }
        SearchSetup search = new SearchSetup(clients, jdbc);
        Map<String, TestUser> people = new HashMap<>();
        set.get("messages").forEach(m -> people.computeIfAbsent(m.get("sender").asString(), clients::user));
        TestUser reader = clients.user("reader");
        Map<String, String> groups = new HashMap<>();
        for (JsonNode name : set.get("conversations")) {
            groups.put(name.asString(), search.group(reader, name.asString() + " " + reader.username(),
                    people.values().toArray(TestUser[]::new)));
        }
        Map<Long, String> keyOf = new HashMap<>();
        for (JsonNode m : set.get("messages")) {
            long id = search.send(people.get(m.get("sender").asString()), groups.get(m.get("conversation").asString()),
                    m.get("text").asString());
            keyOf.put(id, m.get("key").asString());
        }
        search.awaitIndexed();

        String engine = messageSearch.status().engine();
        List<RelevanceMeasures> measures = new ArrayList<>();
        Map<String, RelevanceMeasures> report = new LinkedHashMap<>();
        for (JsonNode query : set.get("queries")) {
            Set<String> relevant = new HashSet<>();
            query.get("relevant").forEach(key -> relevant.add(key.asString()));
            List<String> ranked = new ArrayList<>();
            search.ids(reader, query.get("q").asString(), "limit", "10").forEach(id -> ranked.add(keyOf.get(id)));
            RelevanceMeasures measured = RelevanceMeasures.of(ranked, relevant);
            measures.add(measured);
            report.put(query.get("q").asString(), measured);
        }
        RelevanceMeasures mean = RelevanceMeasures.mean(measures);
        System.out.printf("Relevance (%s engine, %d messages, %d queries): mean %s%n", engine, keyOf.size(),
                measures.size(), mean);
        report.forEach((q, measured) -> System.out.printf("  %-28s %s%n", q, measured));
        assertThat(mean.precision()).as("mean precision at 10 (%s)", engine).isGreaterThanOrEqualTo(MIN_PRECISION);
        assertThat(mean.recall()).as("mean recall at 10 (%s)", engine).isGreaterThanOrEqualTo(MIN_RECALL);
        assertThat(mean.reciprocalRank()).as("MRR (%s)", engine).isGreaterThanOrEqualTo(MIN_MRR);
    }
}
