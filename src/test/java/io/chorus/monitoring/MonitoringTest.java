package io.chorus.monitoring;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.StompTestClient;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;

/**
 * What a Prometheus scraper sees: metrics on the management port without any token, chat's
 * meters moving as messages are sent, and nothing on the application port, which the ingress
 * exposes to the world.
 */
@ChorusIntegrationTest
@TestPropertySource(properties = "management.server.port=0")
class MonitoringTest {

    @Autowired
    TestClients clients;

    @Value("${local.management.port}")
    int managementPort;

    @Test
    void theScraperReadsMetricsOnTheManagementPortWithoutATokenAndSeesChatMove() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = clients.rest(alice).post("/api/v1/conversations/groups",
                body("name", "Metrics", "memberIds", List.of(bob.id()))).status(201).json().get("id").asString();
        PrometheusScrape before = scrape();

        try (StompTestClient alicePhone = clients.stomp(alice); StompTestClient bobPhone = clients.stomp(bob)) {
            alicePhone.sendMessage(group, "metrics-1", "Counted once");
            alicePhone.awaitAck();
            bobPhone.awaitEvent("message.posted");
            clients.rest(bob).post("/api/v1/conversations/" + group + "/messages",
                    body("clientMessageId", "metrics-2", "text", "Counted by REST")).status(201);
            for (StompTestClient phone : List.of(alicePhone, bobPhone)) {
                phone.awaitEvent(event -> "message.posted".equals(event.path("type").asString())
                        && "Counted by REST".equals(event.at("/message/text").asString()));
            }

            PrometheusScrape during = scrape();
            assertThat(during.value("chorus_stomp_sessions")).as("connected sessions").isGreaterThanOrEqualTo(2);
            assertThat(delta(before, during, "chorus_messages_sent_total", "channel=\"stomp\"")).isEqualTo(1);
            assertThat(delta(before, during, "chorus_messages_sent_total", "channel=\"rest\"")).isEqualTo(1);
            // Each message reached both members' sessions (the sender's other devices see it too).
            assertThat(delta(before, during, "chorus_live_events_delivered_total")).isGreaterThanOrEqualTo(4);
            assertThat(delta(before, during, "chorus_live_fanout_users_count")).isGreaterThanOrEqualTo(2);
            assertThat(delta(before, during, "chorus_chat_send_ack_seconds_count")).isEqualTo(1);
            assertThat(delta(before, during, "chorus_chat_send_ack_seconds_bucket", "le=\"+Inf\"")).isEqualTo(1);
            assertThat(during.value("chorus_chat_send_ack_seconds_bucket", "le=\"0.1\"")).as("an SLO bucket").isNotNaN();
        }

        PrometheusScrape after = scrape();
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(scrape().value("chorus_stomp_sessions")).as("sessions after both closed")
                        .isLessThanOrEqualTo(before.value("chorus_stomp_sessions")));
        for (String meter : List.of("chorus_search_indexing_backlog_messages", "chorus_search_indexing_oldest_age_seconds",
                "chorus_audit_chain_pending_entries", "chorus_audit_chain_oldest_age_seconds",
                "chorus_webhook_deliveries_total", "chorus_approvals_submitted_total", "chorus_approvals_decided_total",
                "jvm_memory_used_bytes", "hikaricp_connections_active", "http_server_requests_seconds_count",
                "tomcat_sessions_active_current_sessions")) {
            assertThat(after.has(meter)).as("meter %s in the scrape", meter).isTrue();
        }
    }

    @Test
    void searchLatencyIsMeasuredPerEngine() {
        TestUser alice = clients.user("alice");
        PrometheusScrape before = scrape();
        clients.rest(alice).get("/api/v1/search/messages?q=anything").ok();
        assertThat(delta(before, scrape(), "chorus_search_latency_seconds_count", "engine=\"postgres\"",
                "outcome=\"success\"")).isEqualTo(1);
    }

    @Test
    void theApplicationPortRefusesMetricsToAnonymousCallersAndToUsers() {
        clients.anonymous().get("/actuator/prometheus").problem(401, "UNAUTHENTICATED");
        clients.rest(clients.orgAdmin()).get("/actuator/prometheus").problem(403, "FORBIDDEN");
        RestApi.Response health = management().get("/actuator/health");
        assertThat(health.status()).as("health on the management port").isEqualTo(200);
    }

    private PrometheusScrape scrape() {
        RestApi.Response response = management().get("/actuator/prometheus").ok();
        assertThat(response.headers().getContentType()).isNotNull();
        assertThat(response.headers().getContentType().toString()).startsWith("text/plain");
        return new PrometheusScrape(response.body());
    }

    private RestApi management() {
        return new RestApi("http://localhost:" + managementPort, null, clients.json());
    }

    private static double delta(PrometheusScrape before, PrometheusScrape after, String name, String... labels) {
        return after.value(name, labels) - valueOrZero(before, name, labels);
    }

    private static double valueOrZero(PrometheusScrape scrape, String name, String... labels) {
        try {
            return scrape.value(name, labels);
        } catch (AssertionError absent) {
            return 0;
        }
    }
}
