package io.chorus.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.platform.ChorusProblem;
import io.chorus.platform.Idempotency;
import io.chorus.platform.ProblemCodes;
import io.chorus.support.AdjustableClock;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.RestApi.Response;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import jakarta.servlet.Filter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Idempotency-Key on the integration API, against a test endpoint that counts how often it
 * really ran: a retry replays the first result, concurrent duplicates run the handler once, a
 * failed request frees its key, and keys expire after their time-to-live.
 */
@ChorusIntegrationTest
@Import(IdempotencyKeyTest.Endpoint.class)
@TestPropertySource(properties = "chorus.platform.idempotency.wait-for-concurrent=5s")
class IdempotencyKeyTest {

    static final String ECHO = "/api/v1/integration/test-echo";

    @TestBean(name = "clock", methodName = "io.chorus.support.AdjustableClock#standIn")
    Clock clock;

    @Autowired
    TestClients clients;
    @Autowired
    Echo echo;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    IdempotentRequestCleanup cleanup;

    TestUser bot;
    String name;

    @BeforeEach
    void caller() {
        bot = clients.user("bot");
        name = "item-" + UUID.randomUUID();
    }

    @AfterEach
    void backToNow() {
        ((AdjustableClock) clock).reset();
    }

    @Test
    void aRetryWithTheSameKeyAndBodyReplaysTheFirstResultWithoutRunningAgain() {
        String key = UUID.randomUUID().toString();
        Response first = post(bot, key, "{\"name\":\"" + name + "\",\"amount\":1}").status(201);
        Response again = post(bot, key, "{\"name\":\"" + name + "\",\"amount\":1}").status(201);

        assertThat(first.headers().getFirst(Idempotency.REPLAYED_HEADER)).isNull();
        assertThat(again.headers().getFirst(Idempotency.REPLAYED_HEADER)).isEqualTo("true");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().getLocation()).isEqualTo(first.headers().getLocation()).isNotNull();
        assertThat(again.headers().getContentType()).isEqualTo(first.headers().getContentType());
        assertThat(first.json().path("name").asString()).as("the handler read the body").isEqualTo(name);
        assertThat(echo.runs(name)).isEqualTo(1);
    }

    @Test
    void theSameJsonWithOtherMemberOrderAndSpacingIsTheSameRequest() {
        String key = UUID.randomUUID().toString();
        Response first = post(bot, key, "{\"name\":\"" + name + "\",\"tags\":{\"a\":1,\"b\":2}}").status(201);
        Response again = post(bot, key, "{ \"tags\" : { \"b\" : 2, \"a\" : 1 },\n  \"name\" : \"" + name + "\" }")
                .status(201);

        assertThat(again.headers().getFirst(Idempotency.REPLAYED_HEADER)).isEqualTo("true");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(echo.runs(name)).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefused() {
        String key = UUID.randomUUID().toString();
        post(bot, key, "{\"name\":\"" + name + "\",\"amount\":1}").status(201);

        post(bot, key, "{\"name\":\"" + name + "\",\"amount\":2}").problem(409, ProblemCodes.IDEMPOTENCY_KEY_REUSED);
        assertThat(echo.runs(name)).isEqualTo(1);
    }

    @Test
    void keysBelongToTheirCaller() {
        TestUser other = clients.user("bot");
        String key = UUID.randomUUID().toString();
        Response mine = post(bot, key, body()).status(201);
        Response theirs = post(other, key, body()).status(201);

        assertThat(theirs.headers().getFirst(Idempotency.REPLAYED_HEADER)).isNull();
        assertThat(theirs.json().path("id")).isNotEqualTo(mine.json().path("id"));
        assertThat(theirs.json().path("caller").asString()).isEqualTo(other.id().toString());
        assertThat(echo.runs(name)).isEqualTo(2);
    }

    @Test
    void aRefusedRequestReleasesItsKeySoARetryRunsAgain() {
        String key = UUID.randomUUID().toString();
        echo.refuseOnce(name);
        post(bot, key, body()).problem(400, ProblemCodes.VALIDATION_FAILED);

        Response retry = post(bot, key, body()).status(201);
        assertThat(retry.headers().getFirst(Idempotency.REPLAYED_HEADER)).isNull();
        assertThat(echo.runs(name)).isEqualTo(2);
        assertThat(post(bot, key, body()).status(201).body()).isEqualTo(retry.body());
        assertThat(echo.runs(name)).isEqualTo(2);
    }

    @Test
    void concurrentIdenticalRequestsRunTheHandlerOnceAndAllGetItsResult() throws Exception {
        int requests = 8;
        String key = UUID.randomUUID().toString();
        CountDownLatch gate = echo.holdFirst(name);
        CyclicBarrier start = new CyclicBarrier(requests);
        // Its own connections: the shared test client pools only five per host, which would queue some requests.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + clients.port() + ECHO))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + bot.token())
                .header(HttpHeaders.CONTENT_TYPE, "application/json")
                .header(Idempotency.KEY_HEADER, key)
                .POST(HttpRequest.BodyPublishers.ofString(body()))
                .build();
        ExecutorService threads = Executors.newFixedThreadPool(requests);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                answers.add(threads.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return http.send(request, HttpResponse.BodyHandlers.ofString());
                }));
            }
            // Every request has reached the server while the first one is still inside the handler.
            await().atMost(Duration.ofSeconds(30)).until(() -> echo.arrivals(key) == requests && echo.runs(name) == 1);
            gate.countDown();

            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) {
                responses.add(answer.get(60, TimeUnit.SECONDS));
            }
            assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(201);
            assertThat(responses).extracting(HttpResponse::body).containsOnly(responses.getFirst().body());
            assertThat(responses).filteredOn(response ->
                    response.headers().firstValue(Idempotency.REPLAYED_HEADER).isEmpty()).hasSize(1);
            assertThat(echo.runs(name)).isEqualTo(1);
        } finally {
            gate.countDown();
            threads.shutdownNow();
            http.close();
        }
    }

    @Test
    void aDuplicateThatOutwaitsTheRunningRequestIsToldToComeBack() throws Exception {
        String key = UUID.randomUUID().toString();
        CountDownLatch gate = echo.holdFirst(name);
        try {
            CompletableFuture<Response> first = insideTheHandler(key);

            Response waited = post(bot, key, body()).problem(409, ProblemCodes.IDEMPOTENCY_KEY_IN_PROGRESS);
            assertThat(waited.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");

            gate.countDown();
            Response created = first.get(60, TimeUnit.SECONDS).status(201);
            assertThat(post(bot, key, body()).status(201).body()).isEqualTo(created.body());
            assertThat(echo.runs(name)).isEqualTo(1);
        } finally {
            gate.countDown();
        }
    }

    @Test
    void aClaimLeftUnfinishedPastItsStaleTimeIsTakenOver() throws Exception {
        String key = UUID.randomUUID().toString();
        CountDownLatch gate = echo.holdFirst(name);
        try {
            // Stands for a node that died mid-request: its claim never completes in time.
            CompletableFuture<Response> abandoned = insideTheHandler(key);
            ((AdjustableClock) clock).advance(Duration.ofMinutes(6));

            Response takenOver = post(bot, key, body()).status(201);
            assertThat(takenOver.headers().getFirst(Idempotency.REPLAYED_HEADER)).isNull();
            assertThat(echo.runs(name)).isEqualTo(2);

            gate.countDown();
            abandoned.get(60, TimeUnit.SECONDS).status(201);
            assertThat(post(bot, key, body()).status(201).body()).as("the result kept is the one that took over")
                    .isEqualTo(takenOver.body());
        } finally {
            gate.countDown();
        }
    }

    @Test
    void aKeyIsRememberedForItsTimeToLiveAndThenForgotten() {
        String key = UUID.randomUUID().toString();
        post(bot, key, body()).status(201);

        ((AdjustableClock) clock).advance(Duration.ofHours(23));
        post(bot, key, "{\"name\":\"" + name + "\",\"amount\":2}").problem(409, ProblemCodes.IDEMPOTENCY_KEY_REUSED);

        ((AdjustableClock) clock).advance(Duration.ofHours(1).plusMinutes(1));
        Response afresh = post(bot, key, "{\"name\":\"" + name + "\",\"amount\":2}").status(201);
        assertThat(afresh.headers().getFirst(Idempotency.REPLAYED_HEADER)).isNull();
        assertThat(echo.runs(name)).isEqualTo(2);

        ((AdjustableClock) clock).advance(Duration.ofHours(24).plusMinutes(1));
        assertThat(rows(key)).isEqualTo(1);
        cleanup.deleteExpired();
        assertThat(rows(key)).as("deleted by the expiry job").isZero();
    }

    @Test
    void withoutAKeyEveryRequestRuns() {
        RestApi api = clients.rest(bot);
        Response first = api.postRaw(ECHO, body()).status(201);
        Response second = api.postRaw(ECHO, body()).status(201);

        assertThat(second.headers().getFirst(Idempotency.REPLAYED_HEADER)).isNull();
        assertThat(second.json().path("id")).isNotEqualTo(first.json().path("id"));
        assertThat(echo.runs(name)).isEqualTo(2);
    }

    @Test
    void aMalformedKeyIsRefusedBeforeTheHandlerRuns() {
        post(bot, "two words", body()).problem(400, ProblemCodes.VALIDATION_FAILED);
        post(bot, "k".repeat(201), body()).problem(400, ProblemCodes.VALIDATION_FAILED);

        assertThat(echo.runs(name)).isZero();
        assertThat(post(bot, "k".repeat(200), body()).status(201)).isNotNull();
    }

    /** Sends the request with {@code key} on another thread; returns once its handler has started. */
    private CompletableFuture<Response> insideTheHandler(String key) {
        CompletableFuture<Response> response = CompletableFuture.supplyAsync(() -> post(bot, key, body()),
                task -> Thread.ofVirtual().start(task));
        await().atMost(Duration.ofSeconds(30)).until(() -> echo.runs(name) == 1);
        return response;
    }

    private String body() {
        return "{\"name\":\"" + name + "\"}";
    }

    private Response post(TestUser caller, String key, String json) {
        return clients.rest(caller).exchange(HttpMethod.POST, ECHO, json, Map.of(Idempotency.KEY_HEADER, key));
    }

    private long rows(String key) {
        return jdbc.sql("SELECT count(*) FROM platform.idempotent_request WHERE key = :key").param("key", key)
                .query(Long.class).single();
    }

    /**
     * A creating endpoint under the integration API that remembers how often it ran per name; a
     * test may make its next run refuse, or hold its first run until the test lets it go.
     */
    @RestController
    static class Echo {

        private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
        private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
        private final Set<String> refusals = ConcurrentHashMap.newKeySet();

        @PostMapping(ECHO)
        ResponseEntity<Map<String, Object>> create(@RequestBody JsonNode body, Principal caller)
                throws InterruptedException {
            String name = body.path("name").asString();
            runs.computeIfAbsent(name, any -> new AtomicInteger()).incrementAndGet();
            if (refusals.remove(name)) {
                throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, "Refused once, as the test asked.");
            }
            CountDownLatch hold = holds.remove(name);
            if (hold != null && !hold.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The test never let the request go");
            }
            UUID id = UUID.randomUUID();
            return ResponseEntity.created(URI.create(ECHO + "/" + id))
                    .body(Map.of("id", id, "name", name, "caller", caller.getName()));
        }

        int runs(String name) {
            AtomicInteger count = runs.get(name);
            return count == null ? 0 : count.get();
        }

        int arrivals(String key) {
            AtomicInteger count = arrivals.get(key);
            return count == null ? 0 : count.get();
        }

        void refuseOnce(String name) {
            refusals.add(name);
        }

        CountDownLatch holdFirst(String name) {
            CountDownLatch gate = new CountDownLatch(1);
            holds.put(name, gate);
            return gate;
        }

        void arrived(String key) {
            arrivals.computeIfAbsent(key, any -> new AtomicInteger()).incrementAndGet();
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    @Import(Echo.class)
    static class Endpoint {

        /** Counts requests by key as they reach the server, just before the Idempotency-Key filter sees them. */
        @Bean
        FilterRegistrationBean<Filter> arrivals(Echo echo) {
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
                String key = ((jakarta.servlet.http.HttpServletRequest) request).getHeader(Idempotency.KEY_HEADER);
                if (key != null) {
                    echo.arrived(key);
                }
                chain.doFilter(request, response);
            });
            registration.addUrlPatterns(ECHO);
            registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 5);
            return registration;
        }
    }
}
