package io.chorus.integration.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The integration module's hot queries use their indexes: with 1,000 bots holding 50,000 tokens,
 * 500 subscriptions with 200,000 deliveries (2% of them waiting), 20,000 rate-limit buckets,
 * 20,000 remembered webhook-ids and 5,000 slash commands (statistics analysed), the plans for
 * exactly the SQL the module runs must not scan a whole table. docs/integrations-webhooks.md
 * ("Query plans") shows the plans.
 */
@ChorusIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntegrationQueryPlanTest {

    private static final int BOTS = 1_000;
    private static final int TOKENS = 50_000;
    private static final int SUBSCRIPTIONS = 500;
    private static final int DELIVERIES = 200_000;
    private static final int BUCKETS = 20_000;
    private static final int SIGHTINGS = 20_000;

    @Autowired
    JdbcClient jdbc;

    private final Instant now = Instant.now();

    @BeforeAll
    void loadAVolumeWorthPlanningFor() {
        jdbc.sql("""
                INSERT INTO integration.bot (id, key, display_name, owner_id, created_by, created_at)
                SELECT md5('plan-bot' || g)::uuid, 'plan-bot-' || g, 'Plan bot ' || g, md5('plan-owner' || (g % 50))::uuid,
                       md5('plan-owner' || (g % 50))::uuid, now() - g * interval '1 hour'
                FROM generate_series(1, :n) g
                """).param("n", BOTS).update();
        // 50 tokens per bot over a year, most of them revoked or rotated long ago.
        jdbc.sql("""
                INSERT INTO integration.api_token (id, bot_id, name, secret_hash, hint, scopes, created_by, created_at,
                                                   expires_at, revoked_at)
                SELECT gen_random_uuid(), md5('plan-bot' || (g % :bots + 1))::uuid, 'token ' || g,
                       sha256(convert_to('plan-token-' || g, 'UTF8')), 'chorus_bot_' || g, '{messages:write}',
                       md5('plan-owner' || 1)::uuid, now() - g * interval '10 minutes',
                       now() - g * interval '10 minutes' + interval '90 days',
                       CASE WHEN g % 5 = 0 THEN NULL ELSE now() - g * interval '5 minutes' END
                FROM generate_series(1, :n) g
                """).param("bots", BOTS).param("n", TOKENS).update();
        // Message subscriptions of conversations that never speak, so no test's event reaches them.
        jdbc.sql("""
                INSERT INTO integration.subscription (id, owner_id, url, event_types, conversation_ids, secret, enabled,
                                                      created_at, updated_at)
                SELECT md5('plan-subscription' || g)::uuid, md5('plan-bot' || (g % :bots + 1))::uuid,
                       'https://plan.example/hooks/' || g, '{message.posted}', ARRAY[gen_random_uuid()],
                       'whsec_plan', g % 10 <> 0, now() - interval '30 days', now() - interval '30 days'
                FROM generate_series(1, :n) g
                """).param("bots", BOTS).param("n", SUBSCRIPTIONS).update();
        // A week of deliveries, 400 per subscription; one in fifty still waits for a retry later on
        // (none due now, so the scheduled worker of this shared application leaves them alone).
        jdbc.sql("""
                INSERT INTO integration.delivery (id, subscription_id, event_id, event_type, payload, status, attempts,
                                                  next_attempt_at, created_at, delivered_at)
                SELECT gen_random_uuid(), md5('plan-subscription' || (g % :subscriptions + 1))::uuid,
                       gen_random_uuid(), 'message.posted', '{"type": "message.posted"}',
                       CASE WHEN g % 50 = 0 THEN 'PENDING' WHEN g % 97 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END,
                       1, CASE WHEN g % 50 = 0 THEN CAST(:now AS timestamptz) + (g % 3600) * interval '1 second'
                               ELSE CAST(:now AS timestamptz) - g * interval '3 seconds' END,
                       CAST(:now AS timestamptz) - g * interval '3 seconds',
                       CASE WHEN g % 50 = 0 THEN NULL ELSE CAST(:now AS timestamptz) - g * interval '3 seconds' END
                FROM generate_series(1, :n) g
                """).param("subscriptions", SUBSCRIPTIONS).param("now", Timestamp.from(now))
                .param("n", DELIVERIES).update();
        // Buckets of tokens and endpoints, full again at times spread over the next ten minutes.
        jdbc.sql("""
                INSERT INTO integration.rate_limit_bucket (id, state, expires_at)
                SELECT 'plan:' || g || '|600/1m burst 600', '\\x00'::bytea,
                       CAST(extract(epoch FROM CAST(:now AS timestamptz)) * 1000 AS bigint) + g * 30
                FROM generate_series(1, :n) g
                """).param("now", Timestamp.from(now)).param("n", BUCKETS).update();
        // Signed posts of the last twenty minutes, a thousand a minute.
        jdbc.sql("""
                INSERT INTO integration.incoming_webhook_seen (hook_id, webhook_id, seen_at)
                SELECT md5('plan-hook' || (g % 200))::uuid, 'plan-msg-' || g, CAST(:now AS timestamptz) - g * interval '60 milliseconds'
                FROM generate_series(1, :n) g
                """).param("now", Timestamp.from(now)).param("n", SIGHTINGS).update();
        // Five commands per bot, names shared among bots ("/report" of many systems).
        jdbc.sql("""
                INSERT INTO integration.command (bot_id, name, url, secret, created_at, updated_at)
                SELECT md5('plan-bot' || b)::uuid, 'plan-' || ((b * 5 + c) % 400), 'https://plan.example/commands',
                       'whsec_plan', now(), now()
                FROM generate_series(1, :bots) b, generate_series(0, 4) c
                """).param("bots", BOTS).update();
        for (String table : new String[] {"bot", "api_token", "subscription", "delivery", "rate_limit_bucket",
                "incoming_webhook_seen", "command"}) {
            jdbc.sql("ANALYZE integration." + table).update();
        }
    }

    @AfterAll
    void removeThem() {
        jdbc.sql("DELETE FROM integration.command WHERE name LIKE 'plan-%'").update();
        jdbc.sql("DELETE FROM integration.incoming_webhook_seen WHERE webhook_id LIKE 'plan-msg-%'").update();
        jdbc.sql("DELETE FROM integration.rate_limit_bucket WHERE id LIKE 'plan:%'").update();
        // Deliveries go with their subscriptions.
        jdbc.sql("DELETE FROM integration.subscription WHERE url LIKE 'https://plan.example/%'").update();
        jdbc.sql("DELETE FROM integration.api_token WHERE bot_id IN (SELECT id FROM integration.bot"
                + " WHERE key LIKE 'plan-bot-%')").update();
        jdbc.sql("DELETE FROM integration.bot WHERE key LIKE 'plan-bot-%'").update();
    }

    @Test
    void aTokenIsFoundByItsHash() {
        String plan = explain(TokenStore.HOLDING, Map.of("hash", sha256("plan-token-4005"), "now", Timestamp.from(now)));
        assertThat(plan).contains("api_token_secret_hash_key").contains("bot_pkey").doesNotContain("Seq Scan");
    }

    @Test
    void theWorkerFindsDueSubscriptionsAndClaimsThroughTheWaitingDeliveriesOnly() {
        String due = explain(DeliveryStore.DUE_SUBSCRIPTIONS, Map.of("now", Timestamp.from(now), "limit", 32));
        // The "nothing in flight" check must read waiting rows only, never finished history: either
        // partial index of waiting rows will do (the planner picks by the statistics of the moment).
        assertThat(due).containsAnyOf("delivery_due", "delivery_pending").doesNotContain("Seq Scan")
                .doesNotContain("delivery_log").doesNotContain("delivery_finished");

        Map<String, Object> claim = new HashMap<>();
        claim.put("subscriptions", subscriptions(32));
        claim.put("now", Timestamp.from(now));
        claim.put("lease", Timestamp.from(now.plusSeconds(60)));
        String plan = explain(DeliveryStore.CLAIM, claim);
        // Finished history (98% of the rows) must cost a claim nothing: only indexes of waiting rows are read.
        assertThat(plan).containsAnyOf("delivery_due", "delivery_pending").doesNotContain("delivery_log")
                .doesNotContain("delivery_finished").doesNotContain("Seq Scan");
    }

    @Test
    void aPageOfTheLogIsReadNewestFirstFromItsIndex() {
        Map<String, Object> first = new HashMap<>();
        first.put("subscription", subscription(7));
        first.put("status", null);
        first.put("beforeAt", null);
        first.put("beforeId", null);
        first.put("limit", 51);
        assertThat(explain(DeliveryStore.PAGE, first)).contains("delivery_log").doesNotContain("Seq Scan")
                .doesNotContain("Sort");

        Map<String, Object> later = new HashMap<>(first);
        later.put("status", "FAILED");
        later.put("beforeAt", Timestamp.from(now.minus(Duration.ofDays(2))));
        later.put("beforeId", UUID.randomUUID());
        assertThat(explain(DeliveryStore.PAGE, later)).contains("delivery_log").doesNotContain("Seq Scan");
    }

    @Test
    void theCleanupsFindTheirRowsThroughTheirAgeIndexes() {
        // A retention of 7 days (the default is 30), run a little after the oldest deliveries passed it.
        assertThat(explain(DeliveryStore.PURGE_FINISHED, Map.of("cutoff",
                Timestamp.from(now.minus(Duration.ofDays(6).plusHours(22))), "batch", 1000)))
                .contains("delivery_finished").doesNotContain("Seq Scan on delivery");
        assertThat(explain(IncomingWebhookStore.FORGET_SIGHTINGS, Map.of("cutoff",
                Timestamp.from(now.minus(WebhookSignatures.TOLERANCE.multipliedBy(2)).minusSeconds(500)))))
                .contains("incoming_webhook_seen_at").doesNotContain("Seq Scan");
        // Bucket4j's own statement (PostgreSQLSelectForUpdateBasedProxyManager.removeExpired), with our names.
        String buckets = """
                DELETE FROM integration.rate_limit_bucket WHERE id IN (SELECT id FROM integration.rate_limit_bucket
                WHERE expires_at < :expired LIMIT :batch FOR UPDATE SKIP LOCKED)
                """;
        // The expired rows are found through the expiry index. Joining them back to the table is the
        // planner's cost choice: for a table this small (only the budgets in use) one pass over it
        // costs less than a primary-key probe per row, so that part may be a sequential read.
        assertThat(explain(buckets, Map.of("expired", now.toEpochMilli() + 3_000, "batch", 1000)))
                .contains("Index Scan using rate_limit_bucket_expiry").doesNotContain("Seq Scan on rate_limit_bucket_1");
    }

    @Test
    void cancellingASubscriptionsQueueReadsItsWaitingRowsOnly() {
        assertThat(explain(DeliveryStore.CANCEL_PENDING, Map.of("subscription", subscription(9), "reason", "plan",
                "now", Timestamp.from(now)))).contains("delivery_pending").doesNotContain("Seq Scan");
    }

    @Test
    void theSubscriptionIndexReadsTheSubscriptionsAloneInOnePass() {
        // Every enabled subscription, on each change: a sequential read of this one small table is the
        // right plan (the rows are nearly all wanted); what must not happen is touching deliveries.
        String plan = explain(SubscriptionStore.ENABLED, Map.of());
        assertThat(plan).contains("on subscription").doesNotContain("delivery");
    }

    @Test
    void aCommandIsLookedUpByNameAndTheConversationsBotsThroughTheirKeys() {
        assertThat(explain(CommandStore.TARGETS, Map.of("name", "plan-17")))
                .contains("command_name").doesNotContain("Seq Scan on command");
        UUID[] bots = {botId(3), botId(300), botId(999)};
        assertThat(explain(CommandStore.AVAILABLE, Map.of("bots", bots)))
                .contains("command_pkey").doesNotContain("Seq Scan on command");
    }

    private String explain(String sql, Map<String, ?> params) {
        String plan = String.join("\n", jdbc.sql("EXPLAIN " + sql).params(params).query(String.class).list());
        System.out.println("EXPLAIN " + sql.strip().lines().findFirst().orElse("") + "\n" + plan);
        return plan;
    }

    private static UUID botId(int n) {
        return md5Uuid("plan-bot" + n);
    }

    private static UUID subscription(int n) {
        return md5Uuid("plan-subscription" + n);
    }

    private static UUID[] subscriptions(int count) {
        UUID[] ids = new UUID[count];
        for (int i = 0; i < count; i++) {
            ids[i] = subscription(i * 13 % SUBSCRIPTIONS + 1);
        }
        return ids;
    }

    /** PostgreSQL's {@code md5(text)::uuid}. */
    private static UUID md5Uuid(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            ByteBuffer bytes = ByteBuffer.wrap(digest);
            return new UUID(bytes.getLong(), bytes.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(String text) {
        return Secrets.sha256(text);
    }
}
