package io.chorus.benchmark;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The search benchmark's corpus, written straight into chat's tables with set-based SQL:
 * sending a million messages through the API would measure chat, not search. Group
 * conversations with a handful of members each, the searcher in exactly {@link #SEARCHER_GROUPS}
 * of them, and messages of 5 to 40 tokens in Chinese, English or both, drawn from small
 * workplace vocabularies (earlier words more often than later ones) with a few rare words
 * mixed in, so queries meet posting lists from huge to small. The same sizes always give the
 * same corpus: every chunk seeds PostgreSQL's random() first.
 *
 * <p>Ids are derived from indexes ({@code md5('bench-conversation-' || i)}), so each statement
 * can find the rows of the others without reading them back. Chat's events never fire: nothing
 * here reaches the search queue until the benchmark enqueues every message itself.
 */
final class SearchCorpus {

    static final int SEARCHER_GROUPS = 50;

    static final List<String> CHINESE = List.of(
            "审批", "报销", "预算", "合同", "项目", "客户", "会议", "上线", "故障", "采购",
            "发票", "付款", "进度", "需求", "测试", "发布", "版本", "部署", "回滚", "监控",
            "告警", "数据库", "服务器", "接口", "文档", "评审", "周报", "季度", "目标", "绩效",
            "考核", "招聘", "面试", "入职", "培训", "出差", "报价", "供应商", "里程碑", "风险",
            "延期", "验收", "交付", "排期", "优化", "性能", "安全", "合规", "审计", "权限",
            "账号", "流程", "模板", "财务", "法务", "市场", "销售", "年度计划", "项目经理", "客户满意度");

    static final List<String> ENGLISH = List.of(
            "budget", "review", "contract", "invoice", "meeting", "release", "deploy", "rollback", "incident", "outage",
            "approval", "customer", "vendor", "project", "roadmap", "milestone", "deadline", "report", "sprint", "backlog",
            "ticket", "feature", "bug", "test", "staging", "production", "database", "server", "api", "latency",
            "dashboard", "alert", "metrics", "onboarding", "interview", "hiring", "training", "travel", "expense", "payment",
            "purchase", "order", "quote", "security", "compliance", "audit", "access", "password", "policy", "template",
            "finance", "legal", "marketing", "sales", "quarter", "target", "forecast", "revenue", "draft", "schedule");

    static final List<String> FIGURES = List.of(
            "Q1", "Q2", "Q3", "Q4", "2024", "2025", "2026", "FY26", "v2", "v3.1", "10%", "30", "100", "500", "1000");

    /** About 0.3% of tokens: each of these is in roughly one message in two hundred. */
    static final List<String> RARE = List.of(
            "北极星", "灰度", "熔断", "容灾", "迁移", "等保", "polaris", "kubernetes", "failover", "postmortem",
            "gdpr", "sso");

    private static final int CHUNK = 100_000;

    private static final String MESSAGES = """
            INSERT INTO chat.message (conversation_id, seq, sender_id, client_message_id, body, created_at)
            SELECT md5('bench-conversation-' || s.c)::uuid, s.g / :conversations + 1,
                   md5('bench-user-' || ((s.c * 7 + floor(random() * s.m)::int) % :users))::uuid,
                   'bench-' || s.g, b.body,
                   timestamptz '2025-01-01 00:00:00+00' + make_interval(secs => s.g * 31536000.0 / :messages)
            FROM (SELECT g, g % :conversations AS c, least(5 + g % :conversations % 20, :users) AS m,
                         random() AS kind, 5 + floor(random() * 36)::int AS n
                  FROM generate_series(:from, :to - 1) AS g) AS s
            CROSS JOIN LATERAL (
                SELECT btrim(string_agg(CASE
                        WHEN random() < 0.003 THEN ' ' || rare[1 + floor(random() * cardinality(rare))::int] || ' '
                        WHEN s.kind < 0.4 THEN CASE
                            WHEN random() < 0.06 THEN ' ' || fig[1 + floor(random() * cardinality(fig))::int] || ' '
                            WHEN random() < 0.08 THEN '，' || zh[1 + floor(power(random(), 1.5) * cardinality(zh))::int]
                            ELSE zh[1 + floor(power(random(), 1.5) * cardinality(zh))::int] END
                        WHEN s.kind < 0.7 THEN ' ' || CASE
                            WHEN random() < 0.08 THEN fig[1 + floor(random() * cardinality(fig))::int]
                            ELSE en[1 + floor(power(random(), 1.5) * cardinality(en))::int] END
                        ELSE CASE
                            WHEN random() < 0.5 THEN zh[1 + floor(power(random(), 1.5) * cardinality(zh))::int]
                            WHEN random() < 0.8 THEN ' ' || en[1 + floor(power(random(), 1.5) * cardinality(en))::int]
                            ELSE ' ' || fig[1 + floor(random() * cardinality(fig))::int] || ' ' END
                        END, '' ORDER BY k)) || CASE WHEN s.kind < 0.4 THEN '。' ELSE '' END AS body
                FROM generate_series(1, s.n) AS k,
                     (SELECT CAST(:zh AS text[]) AS zh, CAST(:en AS text[]) AS en, CAST(:fig AS text[]) AS fig,
                             CAST(:rare AS text[]) AS rare) AS words) AS b
            """;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final int messages;
    private final int conversations;
    private final int users;

    SearchCorpus(JdbcClient jdbc, TransactionTemplate transactions, int messages, int conversations, int users) {
        if (conversations < SEARCHER_GROUPS) {
            throw new IllegalArgumentException("the searcher needs " + SEARCHER_GROUPS + " conversations to be in");
        }
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.messages = messages;
        this.conversations = conversations;
        this.users = users;
    }

    /** Writes users, groups, members (the searcher among them) and every message; prints progress. */
    void load(UUID searcher) {
        jdbc.sql("""
                INSERT INTO identity.user_account (id, subject, username, display_name, email, created_at, last_seen_at)
                SELECT md5('bench-user-' || u)::uuid, 'bench-user-' || u, 'user' || u, 'Bench User ' || u,
                       'user' || u || '@bench.local', now(), now()
                FROM generate_series(0, :users - 1) AS u
                """).param("users", users).update();
        jdbc.sql("""
                INSERT INTO chat.conversation (id, kind, name, created_by, created_at, last_activity_at, member_count)
                SELECT md5('bench-conversation-' || c)::uuid, 'GROUP',
                       (ARRAY['研发', '市场', '财务', '销售', '运维'])[c % 5 + 1] || '群 ' || c,
                       md5('bench-user-' || (c * 7 % :users))::uuid, timestamptz '2024-12-01 00:00:00+00',
                       timestamptz '2024-12-01 00:00:00+00', least(5 + c % 20, :users)
                FROM generate_series(0, :conversations - 1) AS c
                """).param("users", users).param("conversations", conversations).update();
        jdbc.sql("""
                INSERT INTO chat.member (conversation_id, user_id, role, joined_at)
                SELECT md5('bench-conversation-' || c)::uuid, md5('bench-user-' || ((c * 7 + j) % :users))::uuid,
                       CASE WHEN j = 0 THEN 'OWNER' ELSE 'MEMBER' END, timestamptz '2024-12-01 00:00:00+00'
                FROM generate_series(0, :conversations - 1) AS c,
                     LATERAL generate_series(0, least(5 + c % 20, :users) - 1) AS j
                """).param("users", users).param("conversations", conversations).update();
        // Spread over the whole range, so the searcher's messages span the year and every size of group.
        jdbc.sql("""
                WITH mine AS (
                    INSERT INTO chat.member (conversation_id, user_id, role, joined_at)
                    SELECT md5('bench-conversation-' || (k * (:conversations / :groups)))::uuid, :searcher, 'MEMBER',
                           timestamptz '2024-12-01 00:00:00+00'
                    FROM generate_series(0, :groups - 1) AS k
                    RETURNING conversation_id)
                UPDATE chat.conversation SET member_count = member_count + 1 WHERE id IN (SELECT conversation_id FROM mine)
                """).param("conversations", conversations).param("groups", SEARCHER_GROUPS).param("searcher", searcher)
                .update();

        long start = System.nanoTime();
        for (int from = 0; from < messages; from += CHUNK) {
            int to = Math.min(messages, from + CHUNK);
            int chunkStart = from;
            transactions.executeWithoutResult(status -> {
                // Same sizes, same corpus: the seed depends only on where the chunk starts.
                jdbc.sql("SELECT setseed(:seed)").param("seed", 0.5 * chunkStart / messages).query().singleRow();
                jdbc.sql(MESSAGES).param("conversations", conversations).param("users", users)
                        .param("messages", messages).param("from", chunkStart).param("to", to)
                        .param("zh", CHINESE.toArray(String[]::new)).param("en", ENGLISH.toArray(String[]::new))
                        .param("fig", FIGURES.toArray(String[]::new)).param("rare", RARE.toArray(String[]::new))
                        .update();
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("  loaded %,d / %,d messages (%.0f s, %,.0f messages/s)%n", to, messages, seconds,
                    to / seconds);
        }
        jdbc.sql("""
                UPDATE chat.conversation c SET last_seq = m.last_seq, last_activity_at = m.last_at
                FROM (SELECT conversation_id, max(seq) AS last_seq, max(created_at) AS last_at
                      FROM chat.message GROUP BY conversation_id) AS m
                WHERE c.id = m.conversation_id
                """).update();
        jdbc.sql("ANALYZE identity.user_account, chat.conversation, chat.member, chat.message").update();
    }

    /** Names of the searcher's groups, for {@code in:} queries. */
    List<String> groupNames(UUID searcher) {
        return jdbc.sql("""
                SELECT c.name FROM chat.member m JOIN chat.conversation c ON c.id = m.conversation_id
                WHERE m.user_id = :u ORDER BY c.name
                """).param("u", searcher).query(String.class).list();
    }

    /** How many messages the searcher can find at all: the ones in their groups. */
    long searcherMessages(UUID searcher) {
        return jdbc.sql("""
                SELECT count(*) FROM chat.message WHERE conversation_id IN
                    (SELECT conversation_id FROM chat.member WHERE user_id = :u)
                """).param("u", searcher).query(Long.class).single();
    }
}
