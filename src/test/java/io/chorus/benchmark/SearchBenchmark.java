package io.chorus.benchmark;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.sun.management.OperatingSystemMXBean;
import io.chorus.ChorusApplication;
import io.chorus.identity.internal.local.LocalTokenIssuer;
import io.chorus.search.MessageSearch;
import io.chorus.search.RebuildStatus;
import io.chorus.support.ElasticsearchNode;
import io.chorus.support.RestApi;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Search at scale, on each engine in turn: a fresh application and embedded database, a
 * generated corpus of {@code messages} messages (see {@link SearchCorpus}) written straight into
 * chat's tables, then every message queued for indexing at once and the real indexer left to
 * drain the queue. Reports indexing throughput (enqueue commit to empty queue), then the
 * latency of {@code queries} employee searches through the HTTP API, one at a time, by a user
 * in {@value SearchCorpus#SEARCHER_GROUPS} groups (so the permission filter is always on), and
 * of compliance searches over the whole corpus. Client, application, PostgreSQL and
 * Elasticsearch share the machine.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.chorus.benchmark.SearchBenchmark [-Dengines=postgres,elasticsearch
 * -Dmessages=1000000 -Dconversations=5000 -Dusers=2000 -Dqueries=500 -Dcompliance=35 -Dbatch=500]}
 */
public final class SearchBenchmark {

    private static final int WARM_UP = 50;
    private static final int COMPLIANCE_WARM_UP = 5;
    private static final int PAGE_SIZE = MessageSearch.DEFAULT_LIMIT;

    /** What an employee types: each kind of query the language has, on frequent and on rare words. */
    private static final List<Query> EMPLOYEE_QUERIES = List.of(
            new Query("one Han character", "审"),
            new Query("one Han character", "批"),
            new Query("one Han character", "险"),
            new Query("one Han character", "星"),
            new Query("two-character word", "审批"),
            new Query("two-character word", "预算"),
            new Query("two-character word", "上线"),
            new Query("two-character word", "故障"),
            new Query("two-character word", "销售"),
            new Query("3–5 character word", "数据库"),
            new Query("3–5 character word", "供应商"),
            new Query("3–5 character word", "年度计划"),
            new Query("3–5 character word", "客户满意度"),
            new Query("English word", "budget"),
            new Query("English word", "deploy"),
            new Query("English word", "revenue"),
            new Query("English word", "schedule"),
            new Query("rare word", "北极星"),
            new Query("rare word", "熔断"),
            new Query("rare word", "kubernetes"),
            new Query("rare word", "postmortem"),
            new Query("two words (AND)", "budget review"),
            new Query("two words (AND)", "预算 审批"),
            new Query("two words (AND)", "项目 延期"),
            new Query("phrase", "\"budget review\""),
            new Query("phrase", "\"审批流程\""),
            new Query("phrase", "\"customer contract\""),
            new Query("mixed Chinese and English", "Q3 预算"),
            new Query("mixed Chinese and English", "2025 合同"),
            new Query("mixed Chinese and English", "api 故障"),
            new Query("exclusion", "预算 -审批"),
            new Query("exclusion", "budget -draft"),
            new Query("sort=newest", "审批", "newest"),
            new Query("sort=newest", "budget", "newest"),
            new Query("sort=newest", "北极星", "newest"),
            new Query("filter only", "in:\"<group>\""),
            new Query("filter only", "from:user0"),
            new Query("filter only", "after:2025-06-01 before:2025-06-08"),
            new Query("words and filters", "报销 in:\"<group>\""),
            new Query("words and filters", "合同 after:2025-10-01"),
            new Query("no match", "区块链"));

    private static final List<Query> COMPLIANCE_QUERIES = List.of(
            new Query("compliance", "预算"),
            new Query("compliance", "\"budget review\""),
            new Query("compliance", "Q3 预算"),
            new Query("compliance", "北极星"),
            new Query("compliance", "from:user7 报销"),
            new Query("compliance", "审批", "newest"),
            new Query("compliance", "budget -draft"));

    private SearchBenchmark() {
    }

    record Query(String kind, String q, String sort) {
        Query(String kind, String q) {
            this(kind, q, null);
        }
    }

    /** One engine's figures. */
    record Result(String engine, String version, int messages, int conversations, int users, long searcherMessages, int batchSize,
            double loadSeconds, double enqueueSeconds, double indexSeconds, double refreshSeconds, long documents,
            long indexBytes, long[] latencies, double meanHits, long[] complianceLatencies,
            Map<Query, long[]> byQuery, double totalSeconds) {
    }

    public static void main(String[] args) throws Exception {
        List<String> engines = Arrays.stream(System.getProperty("engines", "postgres,elasticsearch").split(","))
                .map(String::strip).filter(e -> !e.isEmpty()).toList();
        int messages = Integer.getInteger("messages", 1_000_000);
        int conversations = Integer.getInteger("conversations", 5_000);
        int users = Integer.getInteger("users", 2_000);
        int queries = Integer.getInteger("queries", 500);
        int compliance = Integer.getInteger("compliance", 35);
        Integer batch = Integer.getInteger("batch");
        long begin = System.nanoTime();
        List<Result> results = new ArrayList<>();
        for (String engine : engines) {
            results.add(run(engine, messages, conversations, users, queries, compliance, batch));
        }
        String report = report(results, queries, compliance, (System.nanoTime() - begin) / 1e9);
        System.out.println(report);
        Path out = Path.of("target", "benchmark", "search-report.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println("Report written to " + out.toAbsolutePath());
        for (Result result : results) {
            if (result.documents() != result.messages()) {
                throw new IllegalStateException(result.engine() + " holds " + result.documents() + " documents for "
                        + result.messages() + " messages: its figures above are not valid.");
            }
        }
    }

    private static Result run(String engine, int messages, int conversations, int users, int queries,
            int complianceQueries, Integer batch) throws Exception {
        long begin = System.nanoTime();
        System.out.printf("%n== %s: %,d messages in %,d groups of %,d users%n", engine, messages, conversations, users);
        List<String> properties = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off", "--logging.level.root=WARN",
                "--logging.level.io.chorus=WARN", "--chorus.search.engine=" + engine));
        if (batch != null) {
            properties.add("--chorus.search.indexing.batch-size=" + batch);
        }
        switch (engine) {
            case "postgres" -> { }
            case "elasticsearch" -> properties.addAll(List.of("--spring.elasticsearch.uris=" + ElasticsearchNode.get().uri(),
                    "--chorus.search.elasticsearch.replicas=0", "--chorus.search.elasticsearch.refresh-on-write=false"));
            default -> throw new IllegalArgumentException("engines are postgres and elasticsearch, not " + engine);
        }
        // The test profile's embedded database has no data directory: a new, empty one per application.
        ConfigurableApplicationContext app = new SpringApplicationBuilder(ChorusApplication.class).profiles("test")
                .run(properties.toArray(String[]::new));
        try {
            return measure(app, engine, messages, conversations, users, queries, complianceQueries, begin);
        } finally {
            app.close();
            if (engine.equals("elasticsearch")) {
                ElasticsearchNode.get().stop();
            }
        }
    }

    private static Result measure(ConfigurableApplicationContext app, String engine, int messageCount,
            int conversations, int users, int queries, int complianceQueries, long begin) throws Exception {
        JdbcClient jdbc = app.getBean(JdbcClient.class);
        TestClients clients = new TestClients(app.getBean(LocalTokenIssuer.class), app, app.getBean(JsonMapper.class));
        MessageSearch search = app.getBean(MessageSearch.class);
        int batchSize = app.getEnvironment().getProperty("chorus.search.indexing.batch-size", Integer.class, 500);
        awaitIndexReady(search, engine);

        TestUser searcher = clients.user("searcher");
        TestUser officer = clients.user("officer", List.of("employee", "compliance_officer"));
        SearchCorpus corpus = new SearchCorpus(jdbc, app.getBean(TransactionTemplate.class), messageCount,
                conversations, users);
        long loadStart = System.nanoTime();
        corpus.load(searcher.id());
        double loadSeconds = seconds(loadStart);
        long searcherMessages = corpus.searcherMessages(searcher.id());
        List<String> groups = corpus.groupNames(searcher.id());
        System.out.printf("  corpus loaded in %.0f s; the searcher can reach %,d messages%n", loadSeconds,
                searcherMessages);

        long enqueueStart = System.nanoTime();
        jdbc.sql("""
                INSERT INTO search.pending_message (message_id, generation, enqueued_at)
                SELECT id, nextval('search.pending_generation'), now() FROM chat.message
                """).update();
        long enqueued = System.nanoTime();
        System.out.printf("  %,d messages queued in %.1f s; draining (batch size %d)%n", messageCount,
                (enqueued - enqueueStart) / 1e9, batchSize);
        awaitDrained(jdbc, messageCount, enqueued);
        double indexSeconds = seconds(enqueued);

        long refreshStart = System.nanoTime();
        long documents;
        long indexBytes;
        if (engine.equals("elasticsearch")) {
            ElasticsearchClient elasticsearch = app.getBean(ElasticsearchClient.class);
            String index = app.getEnvironment().getProperty("chorus.search.elasticsearch.index", "chorus-messages");
            elasticsearch.indices().refresh(r -> r.index(index));
            documents = elasticsearch.count(c -> c.index(index)).count();
            indexBytes = elasticsearch.indices().stats(s -> s.index(index)).all().primaries().store().sizeInBytes();
        } else {
            // What autovacuum does after a bulk load anyway, done now so every run plans with the same statistics.
            jdbc.sql("ANALYZE search.message_doc").update();
            documents = jdbc.sql("SELECT count(*) FROM search.message_doc").query(Long.class).single();
            indexBytes = jdbc.sql("SELECT pg_total_relation_size('search.message_doc')").query(Long.class).single();
        }
        double refreshSeconds = seconds(refreshStart);

        List<Query> employeeQueries = EMPLOYEE_QUERIES.stream()
                .map(query -> new Query(query.kind(), query.q().replace("<group>", groups.get(groups.size() / 2)),
                        query.sort()))
                .toList();
        RestApi employee = clients.rest(searcher);
        Map<Query, List<Long>> byQuery = new LinkedHashMap<>();
        Map<Query, Long> hitsByQuery = new LinkedHashMap<>();
        System.out.printf("  %d warm-up and %d measured searches%n", WARM_UP, queries);
        for (int i = 0; i < WARM_UP; i++) {
            timed(employee, "/api/v1/search/messages", employeeQueries.get(i % employeeQueries.size()));
        }
        long[] latencies = new long[queries];
        long hits = 0;
        for (int i = 0; i < queries; i++) {
            Query query = employeeQueries.get(i % employeeQueries.size());
            Timed timed = timed(employee, "/api/v1/search/messages", query);
            latencies[i] = timed.nanos();
            hits += timed.hits();
            byQuery.computeIfAbsent(query, q -> new ArrayList<>()).add(timed.nanos());
            hitsByQuery.merge(query, (long) timed.hits(), Long::sum);
        }

        RestApi complianceOfficer = clients.rest(officer);
        for (int i = 0; i < COMPLIANCE_WARM_UP; i++) {
            timed(complianceOfficer, "/api/v1/search/compliance/messages",
                    COMPLIANCE_QUERIES.get(i % COMPLIANCE_QUERIES.size()));
        }
        long[] complianceLatencies = new long[complianceQueries];
        for (int i = 0; i < complianceQueries; i++) {
            Query query = COMPLIANCE_QUERIES.get(i % COMPLIANCE_QUERIES.size());
            Timed timed = timed(complianceOfficer, "/api/v1/search/compliance/messages", query);
            complianceLatencies[i] = timed.nanos();
            byQuery.computeIfAbsent(query, q -> new ArrayList<>()).add(timed.nanos());
            hitsByQuery.merge(query, (long) timed.hits(), Long::sum);
        }
        Map<Query, long[]> perQuery = new LinkedHashMap<>();
        byQuery.forEach((query, nanos) -> perQuery.put(query, nanos.stream().mapToLong(Long::longValue).toArray()));
        System.out.println("  per query: median / max ms, mean hits");
        perQuery.forEach((query, nanos) -> System.out.printf("    %-28s %-40s %s, %.1f hits%n", query.kind(),
                query.q() + (query.sort() == null ? "" : " sort=" + query.sort()), millis(nanos, 0.5, 1.0),
                (double) hitsByQuery.get(query) / nanos.length));
        String version = engine.equals("elasticsearch")
                // The nodes API of the integration-test distribution does not decode in the 9.2 client; the pom pins 9.2.0.
                ? "Elasticsearch 9.2.0 (integration-test distribution)"
                : "PostgreSQL " + jdbc.sql("SHOW server_version").query(String.class).single();
        return new Result(engine, version, messageCount, conversations, users, searcherMessages, batchSize, loadSeconds,
                (enqueued - enqueueStart) / 1e9, indexSeconds, refreshSeconds, documents, indexBytes, latencies,
                queries == 0 ? 0 : (double) hits / queries, complianceLatencies, perQuery, seconds(begin));
    }

    /**
     * On a fresh Elasticsearch node the application builds its index at start; loading before
     * that build completes would let the build, not the indexer, copy the corpus.
     */
    private static void awaitIndexReady(MessageSearch search, String engine) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (engine.equals("elasticsearch")) {
            RebuildStatus rebuild = search.status().rebuild();
            if (rebuild.state() == RebuildStatus.State.COMPLETED) {
                return;
            }
            if (rebuild.state() == RebuildStatus.State.FAILED || System.nanoTime() > deadline) {
                throw new IllegalStateException("The index was not built: " + rebuild);
            }
            Thread.sleep(200);
        }
    }

    private static void awaitDrained(JdbcClient jdbc, int total, long since) throws InterruptedException {
        long last = total;
        long lastChange = System.nanoTime();
        int polls = 0;
        while (true) {
            long pending = jdbc.sql("SELECT count(*) FROM search.pending_message").query(Long.class).single();
            if (pending == 0) {
                System.out.printf("  queue empty after %.1f s (%,.0f docs/s)%n", seconds(since), total / seconds(since));
                return;
            }
            if (pending != last) {
                last = pending;
                lastChange = System.nanoTime();
            } else if (seconds(lastChange) > 300) {
                throw new IllegalStateException(pending + " messages have waited 5 minutes without any progress");
            }
            if (++polls % 20 == 0) {
                System.out.printf("  indexed %,d / %,d (%.0f s, %,.0f docs/s)%n", total - pending, total,
                        seconds(since), (total - pending) / seconds(since));
            }
            Thread.sleep(500);
        }
    }

    record Timed(long nanos, int hits) {
    }

    private static Timed timed(RestApi client, String path, Query query) {
        String url = path + "?q=" + encode(query.q()) + (query.sort() == null ? "" : "&sort=" + query.sort());
        long start = System.nanoTime();
        RestApi.Response response = client.get(url);
        long nanos = System.nanoTime() - start;
        if (response.status() != 200) {
            throw new IllegalStateException(path + " q=" + query.q() + " answered " + response.status() + ": "
                    + response.body());
        }
        return new Timed(nanos, response.json().get("items").size());
    }

    /** RestApi's client encodes the URI template itself; only what it would leave alone needs doing here. */
    private static String encode(String value) {
        return value.replace("%", "%25").replace("+", "%2B").replace("&", "%26").replace("#", "%23");
    }

    private static String report(List<Result> results, int queries, int complianceQueries, double totalSeconds) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        StringBuilder out = new StringBuilder("""
                # Search benchmark

                Per engine: a fresh application and embedded PostgreSQL, a generated corpus written straight into
                chat's tables, every message queued for indexing at once and drained by the real indexer, then
                %d employee searches (after %d warm-up) over HTTP, one at a time, by a user in %d groups, and %d
                compliance searches (after %d warm-up) over the whole corpus. Pages of %d hits. Client,
                application, PostgreSQL and Elasticsearch on one machine: %d cores, %.1f GB RAM, JVM heap max
                %.1f GB, Java %s; the Elasticsearch node (ElasticsearchNode) has a 512 MB heap and no replica.
                Total run time %.0f min.
                """.formatted(queries, WARM_UP, SearchCorpus.SEARCHER_GROUPS, complianceQueries, COMPLIANCE_WARM_UP,
                PAGE_SIZE, Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize() / 1e9,
                Runtime.getRuntime().maxMemory() / 1e9, Runtime.version(), totalSeconds / 60));
        for (Result r : results) {
            out.append("""

                    ## %s

                    | metric | value |
                    | --- | --- |
                    | engine | %s |
                    | messages / conversations / users | %,d / %,d / %,d |
                    | messages the searcher can reach | %,d |
                    | corpus load (set-based SQL) | %.0f s |
                    | indexing: enqueue commit to empty queue (batch %d) | %.0f s, **%,.0f docs/s** |
                    | documents in the index / size on disk | %,d / %,.0f MB |
                    | %s | %.1f s |
                    | employee search p50 / p95 / p99 / max (ms) | **%s** |
                    | mean hits per employee search (page of %d) | %.1f |
                    | compliance search p50 / p95 (ms) | **%s** |
                    | slowest queries, median (ms) | %s |
                    | engine run, start to close | %.0f min |
                    """.formatted(r.engine(), r.version(), r.messages(), r.conversations(), r.users(), r.searcherMessages(),
                    r.loadSeconds(), r.batchSize(), r.indexSeconds(), r.messages() / r.indexSeconds(), r.documents(),
                    r.indexBytes() / 1e6, r.engine().equals("elasticsearch") ? "index refresh after the drain"
                            : "ANALYZE search.message_doc after the drain",
                    r.refreshSeconds(), millis(r.latencies(), 0.50, 0.95, 0.99, 1.0), PAGE_SIZE, r.meanHits(),
                    millis(r.complianceLatencies(), 0.50, 0.95), slowest(r), r.totalSeconds() / 60));
        }
        out.append("\n## Median latency by kind of query (ms)\n\n| kind | ")
                .append(results.stream().map(Result::engine).collect(Collectors.joining(" | "))).append(" |\n| --- |")
                .append(" ---: |".repeat(results.size())).append('\n');
        List<String> kinds = new ArrayList<>(EMPLOYEE_QUERIES.stream().map(Query::kind).distinct().toList());
        kinds.add("compliance");
        for (String kind : kinds) {
            out.append("| ").append(kind).append(" | ");
            out.append(results.stream().map(r -> millis(r.byQuery().entrySet().stream()
                            .filter(e -> e.getKey().kind().equals(kind))
                            .flatMapToLong(e -> Arrays.stream(e.getValue())).toArray(), 0.50))
                    .collect(Collectors.joining(" | "))).append(" |\n");
        }
        return out.toString();
    }

    private static String slowest(Result result) {
        return result.byQuery().entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<Query, long[]> e) -> quantile(e.getValue(), 0.5))
                        .reversed())
                .limit(3)
                .map(e -> "`" + e.getKey().q() + "`" + (e.getKey().sort() == null ? "" : " newest")
                        + (e.getKey().kind().equals("compliance") ? " (compliance)" : "") + " "
                        + millis(e.getValue(), 0.5))
                .collect(Collectors.joining(", "));
    }

    private static String millis(long[] nanos, double... quantiles) {
        return Arrays.stream(quantiles).mapToObj(q -> "%.1f".formatted(quantile(nanos, q) / 1e6))
                .collect(Collectors.joining(" / "));
    }

    private static double quantile(long[] nanos, double quantile) {
        if (nanos.length == 0) {
            return Double.NaN;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) (quantile * sorted.length))];
    }

    private static double seconds(long fromNanos) {
        return (System.nanoTime() - fromNanos) / 1e9;
    }
}
