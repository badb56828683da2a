package io.chorus.benchmark;

import io.chorus.ChorusApplication;
import io.chorus.audit.AuditTrail;
import io.chorus.chat.ChatEvents;
import io.chorus.chat.ConversationId;
import io.chorus.identity.UserId;
import io.chorus.identity.internal.local.LocalTokenIssuer;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit trail under load: {@code threads} threads publish {@code events} chat events (each
 * in its own transaction, as the chat module does), the real listeners record them and the
 * chain writer links them. Reports how fast events become chained entries, how fast the whole
 * chain verifies and how fast a JSON-lines export of it streams over HTTP.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.chorus.benchmark.AuditBenchmark [-Devents=100000 -Dthreads=8]}
 */
public final class AuditBenchmark {

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("events", 100_000);
        int threads = Integer.getInteger("threads", 8);
        ConfigurableApplicationContext app = new SpringApplicationBuilder(ChorusApplication.class)
                .profiles("test")
                .run("--server.port=0", "--logging.level.root=WARN", "--logging.level.io.chorus=WARN");
        try {
            run(app, events, threads);
        } finally {
            app.close();
        }
    }

    private static void run(ConfigurableApplicationContext app, int events, int threads) throws Exception {
        JsonMapper json = app.getBean(JsonMapper.class);
        TestClients clients = new TestClients(app.getBean(LocalTokenIssuer.class), app, json);
        JdbcClient jdbc = app.getBean(JdbcClient.class);
        AuditTrail trail = app.getBean(AuditTrail.class);
        ApplicationEventPublisher publisher = app; // the context is the publisher
        TransactionTemplate transactions = app.getBean(TransactionTemplate.class);
        TestUser officer = clients.user("officer", List.of("employee", "compliance_officer"));
        UUID conversation = UUID.randomUUID();

        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        int perThread = events / threads;
        // Audit keys a message's entry by its id: ids far above real ones, fresh on every run.
        long ids = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 60);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    long n = (long) thread * perThread + i + 1;
                    transactions.executeWithoutResult(status -> publisher.publishEvent(new ChatEvents.MessagePosted(
                            ConversationId.of(conversation), ids + n, n, UserId.of(UUID.randomUUID()), "bench " + n,
                            Instant.now())));
                }
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();
        long published = System.nanoTime();
        int total = perThread * threads;
        long chained;
        do {
            trail.flush();
            chained = jdbc.sql("SELECT count(*) FROM audit.entry WHERE conversation_id = :c")
                    .param("c", conversation).query(Long.class).single();
            Thread.sleep(50);
        } while (chained < total);
        long allChained = System.nanoTime();

        HttpClient http = HttpClient.newHttpClient();
        String base = "http://localhost:" + clients.port();
        long verifyStart = System.nanoTime();
        String verdict = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/audit/verify"))
                .header("Authorization", "Bearer " + officer.token()).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        long verifyEnd = System.nanoTime();
        if (!verdict.contains("\"intact\":true")) {
            throw new IllegalStateException("The chain did not verify: " + verdict);
        }
        long headSeq = json.readTree(verdict).get("entriesChecked").asLong();

        long exportStart = System.nanoTime();
        HttpResponse<InputStream> export = http.send(HttpRequest.newBuilder(URI.create(base
                        + "/api/v1/audit/export?format=jsonl&conversationId=" + conversation))
                .header("Authorization", "Bearer " + officer.token()).build(), HttpResponse.BodyHandlers.ofInputStream());
        long rows = 0;
        long bytes = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(export.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                rows++;
                bytes += line.length() + 1;
            }
        }
        long exportEnd = System.nanoTime();
        if (rows != total) {
            throw new IllegalStateException("Exported " + rows + " of " + total + " entries");
        }

        String report = """
                # Audit trail benchmark

                %d events from %d threads, each published in its own transaction; real listeners, real chain writer,
                embedded PostgreSQL, client and server on the same machine.

                | metric | value |
                | --- | --- |
                | events published per second | %,.0f |
                | events chained per second (publish start to last entry linked) | %,.0f |
                | whole-chain verification (entries per second, %,d entries) | %,.0f |
                | JSON-lines export over HTTP (rows per second, %,d rows, %.1f MB) | %,.0f |
                """.formatted(total, threads, total / seconds(start, published), total / seconds(start, allChained),
                headSeq, headSeq / seconds(verifyStart, verifyEnd), rows, bytes / 1e6,
                rows / seconds(exportStart, exportEnd));
        Path out = Path.of("target/benchmark/audit-report.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
    }

    private static double seconds(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e9;
    }
}
