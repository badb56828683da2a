package io.chorus.audit.internal;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.support.AdjustableClock;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.DatabaseSuperuser;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * The audit health component tells the truth when the trail stops growing: entries blocked
 * behind a lock on the chain head, or a chain writer that fails, are DOWN with the cause, and
 * UP again once the trail has caught up.
 */
@ChorusIntegrationTest
class AuditHealthTest {

    @TestBean(name = "clock", methodName = "io.chorus.support.AdjustableClock#standIn")
    Clock clock;

    @Autowired
    AuditHealth health;
    @Autowired
    TestClients clients;
    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void resetClock() {
        ((AdjustableClock) clock).reset();
    }

    @Test
    void entriesBlockedBehindTheChainHeadAreDownWithTheCauseUntilTheyAreChained() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> health.health().getStatus().equals(Status.UP));

        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement lock = blocker.createStatement()) {
                lock.execute("SELECT last_seq FROM audit.chain_head FOR UPDATE");
            }
            sendAMessage();
            await().atMost(Duration.ofSeconds(10)).until(() -> pending() > 0);
            ((AdjustableClock) clock).advance(Duration.ofMinutes(2));

            var down = health.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(String.valueOf(down.getDetails().get("cause"))).contains("audit.chain_head");
            blocker.rollback();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> health.health().getStatus().equals(Status.UP));
        assertThat(pending()).isZero();
    }

    @Test
    void aChainWriterThatFailsIsDownWithItsReasonAndUpOnceItSucceeds() {
        await().atMost(Duration.ofSeconds(30)).until(() -> health.health().getStatus().equals(Status.UP));
        // Only the owner may rename a table; the application's role may not, in production.
        DatabaseSuperuser owner = DatabaseSuperuser.of(dataSource);
        owner.jdbc().sql("ALTER TABLE audit.chain_head RENAME TO chain_head_away").update();
        try {
            sendAMessage();
            await().atMost(Duration.ofSeconds(30)).until(() -> health.health().getStatus().equals(Status.DOWN));
            assertThat(String.valueOf(health.health().getDetails().get("lastFailure"))).contains("chain_head");
        } finally {
            owner.jdbc().sql("ALTER TABLE audit.chain_head_away RENAME TO chain_head").update();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> health.health().getStatus().equals(Status.UP));
        assertThat(pending()).isZero();
    }

    private void sendAMessage() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        String group = clients.rest(alice).post("/api/v1/conversations/groups",
                body("name", "Audit health", "memberIds", List.of(bob.id()))).status(201).json().get("id").asString();
        clients.rest(alice).post("/api/v1/conversations/" + group + "/messages",
                body("clientMessageId", "m-" + System.nanoTime(), "text", "hello")).status(201);
    }

    private long pending() {
        return jdbc.sql("SELECT count(*) FROM audit.pending_entry").query(Long.class).single();
    }
}
