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
 * Relevance on a judged set written for Chorus ({@code search/relevance-set.json}: 287
 * Chinese, English and mixed messages, 49 queries with the messages a person judged relevant).
 * Loads the set through the REST API, runs every query as a member of every group, prints
 * precision and recall at 10 per query and on average, and fails below the thresholds the
 * docs/search.md justifies.
 */
abstract class SearchRelevance {

    /** Mean precision at 10 that an engine must reach (docs/search.md, "Relevance"). */
    static final double MIN_PRECISION = 0.75;
    /** Mean recall at 10 (of min(relevant, 10)) that an engine must reach. */
    static final double MIN_RECALL = 0.85;

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
        double precision = 0;
        double recall = 0;
        Map<String, String> report = new LinkedHashMap<>();
        for (JsonNode query : set.get("queries")) {
            Set<String> relevant = new HashSet<>();
            query.get("relevant").forEach(key -> relevant.add(key.asString()));
            List<String> top = new ArrayList<>();
            search.ids(reader, query.get("q").asString(), "limit", "10").forEach(id -> top.add(keyOf.get(id)));
            long hits = top.stream().filter(relevant::contains).count();
            double p = top.isEmpty() ? 0 : (double) hits / top.size();
            double r = (double) hits / Math.min(relevant.size(), 10);
            precision += p;
            recall += r;
            report.put(query.get("q").asString(), "P@10 %.2f R@10 %.2f".formatted(p, r));
        }
        int queries = set.get("queries").size();
        precision /= queries;
        recall /= queries;
        System.out.printf("Relevance (%s engine, %d messages, %d queries): mean P@10 %.3f, mean R@10 %.3f%n",
                engine, keyOf.size(), queries, precision, recall);
        report.forEach((q, figures) -> System.out.printf("  %-28s %s%n", q, figures));
        assertThat(precision).as("mean precision at 10 (%s)", engine).isGreaterThanOrEqualTo(MIN_PRECISION);
        assertThat(recall).as("mean recall at 10 (%s)", engine).isGreaterThanOrEqualTo(MIN_RECALL);
    }
}
