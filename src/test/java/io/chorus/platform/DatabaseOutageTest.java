package io.chorus.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.DatabaseServer;
import io.chorus.support.RestApi;
import io.chorus.support.StompTestClient;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL stopped under a running Chorus, and started again: readiness goes DOWN and
 * liveness stays UP (restarting the pods would not help), requests are refused quickly with a
 * retryable 503 DATABASE_UNAVAILABLE instead of hanging and failing with a 500, health still
 * answers, the outage is two lines in the log, and everything is served again once the server is
 * back, without restarting Chorus.
 */
@ChorusIntegrationTest
// Its own application (and so its own database server), closed afterwards: no other test
// class shares the database this one stops. A short pool wait keeps the test quick.
@TestPropertySource(properties = {"spring.datasource.hikari.connection-timeout=2000",
        "spring.datasource.hikari.validation-timeout=1000"})
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class DatabaseOutageTest {

    /** Five times the pool wait: a request held by the old 30 s default would fail this. */
    private static final Duration FAIL_FAST_BOUND = Duration.ofSeconds(10);
    private static final Pattern OUTAGE_STARTED = Pattern.compile("WARN.*The database cannot be reached");
    private static final Pattern OUTAGE_ENDED = Pattern.compile("INFO.*The database can be reached again");

    @Autowired
    TestClients clients;

    @Autowired
    DataSource dataSource;

    @Test
    void aStoppedDatabaseIsReportedTruthfullyAndChorusRecoversWhenItIsBack(CapturedOutput output) {
        TestUser alice = clients.user("outage");
        TestUser bob = clients.user("outage-peer");
        clients.rest(alice).get("/api/v1/conversations").ok();
        String group = clients.rest(alice).post("/api/v1/conversations/groups",
                RestApi.body("name", "Outage", "memberIds", List.of(bob.id()))).status(201).json().get("id").asString();
        probe("/actuator/health/readiness").ok();
        DatabaseServer database = DatabaseServer.of(dataSource);
        StompTestClient aliceLive = clients.stomp(alice);

        database.stop();
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(probe("/actuator/health/readiness").status()).isEqualTo(503));
            assertThat(probe("/actuator/health/readiness").json().get("status").asString()).isEqualTo("DOWN");
            assertThat(probe("/actuator/health/liveness").ok().json().get("status").asString()).isEqualTo("UP");

            // Refused by Spring MVC's problem handling (the caller is known from an earlier request) ...
            Instant asked = Instant.now();
            RestApi.Response refused = clients.rest(alice).get("/api/v1/conversations")
                    .problem(503, ProblemCodes.DATABASE_UNAVAILABLE);
            assertThat(Duration.between(asked, Instant.now())).isLessThan(FAIL_FAST_BOUND);
            assertThat(refused.headers().getFirst("Retry-After")).isNotBlank();
            // ... and by the security filters, which must record a caller never seen before.
            String newcomer = clients.token("newcomer-" + System.nanoTime(), List.of("employee"), Instant.now());
            asked = Instant.now();
            clients.rest(newcomer).get("/api/v1/me").problem(503, ProblemCodes.DATABASE_UNAVAILABLE);
            assertThat(Duration.between(asked, Instant.now())).isLessThan(FAIL_FAST_BOUND);

            // STOMP: a CONNECT that needs the database gets the same code in its ERROR frame.
            StompHeaders connect = new StompHeaders();
            connect.add("Authorization", "Bearer " + newcomer);
            StompTestClient.ErrorFrame error = StompTestClient.connectExpectingRefusal(clients.wsUrl(), connect,
                    clients.json());
            assertThat(error.message()).isEqualTo(ProblemCodes.DATABASE_UNAVAILABLE);
            assertThat(error.body().get("status").asInt()).isEqualTo(503);

            // A live session's SEND: an error event with the code and the clientMessageId to send again.
            aliceLive.sendMessage(group, "during-outage", "typed while the database was away");
            JsonNode sendRefused = aliceLive.awaitError();
            assertThat(sendRefused.get("code").asString()).isEqualTo(ProblemCodes.DATABASE_UNAVAILABLE);
            assertThat(sendRefused.get("status").asInt()).isEqualTo(503);
            assertThat(sendRefused.get("clientMessageId").asString()).isEqualTo("during-outage");

            // Health answers, as JSON, never with a 500 of its own.
            RestApi.Response health = probe("/actuator/health").status(503);
            assertThat(health.headers().getContentType()).isNotNull()
                    .matches(type -> type.getSubtype().contains("json"), "JSON");
            assertThat(health.json().get("status").asString()).isEqualTo("DOWN");
        } finally {
            database.start();
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            probe("/actuator/health/readiness").ok();
            clients.rest(alice).get("/api/v1/conversations").ok();
        });
        clients.user("after-outage");
        // Sent again with the same clientMessageId once the database is back: stored once.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            aliceLive.sendMessage(group, "during-outage", "typed while the database was away");
            assertThat(aliceLive.awaitAck().get("seq").asLong()).isEqualTo(1);
        });
        aliceLive.close();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(OUTAGE_ENDED.matcher(output.getAll()).results().count()).isEqualTo(1));
        assertThat(OUTAGE_STARTED.matcher(output.getAll()).results().count())
                .as("one line when the outage starts, however many requests fail").isEqualTo(1);
        assertThat(output.getAll()).as("no stack trace per request")
                .doesNotContain("Unexpected failure")
                .doesNotContain("Servlet.service()");
    }

    private RestApi.Response probe(String path) {
        return clients.anonymous().get(path);
    }
}
