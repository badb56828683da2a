package io.chorus.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * What search must do, whichever engine runs it: each engine's test class extends this one,
 * so both meet the same messages, the same queries and the same expected results.
 */
abstract class SearchBehaviour {

    @Autowired
    TestClients clients;

    @Autowired
    JdbcClient jdbc;

    SearchSetup search;
    TestUser alice;
    TestUser bob;
    String group;

    @BeforeEach
    void setUp() {
        search = new SearchSetup(clients, jdbc);
        alice = clients.user("alice");
        bob = clients.user("bob");
        group = search.group(alice, "Project 审批 " + alice.username(), bob);
    }

    @Test
    void chineseTextIsFoundByOneTwoOrMoreCharacters() {
        long approval = search.send(alice, group, "项目审批流程已经通过");
        long apart = search.send(bob, group, "流程很长，最后也通过了");
        long other = search.send(bob, group, "今天午饭吃什么");
        search.awaitIndexed();

        assertThat(search.ids(alice, "审批")).containsExactly(approval);
        assertThat(search.ids(alice, "审")).containsExactly(approval);
        assertThat(search.ids(alice, "审批流程")).containsExactly(approval);
        assertThat(search.ids(alice, "午饭")).containsExactly(other);
        // As one word, 流程通过 needs 程通 too; as two words, each may stand anywhere.
        assertThat(search.ids(alice, "\"流程通过\"")).isEmpty();
        assertThat(new HashSet<>(search.ids(alice, "流程 通过"))).containsExactlyInAnyOrder(approval, apart);
        assertThat(search.ids(alice, "\"流程已经通过\"")).containsExactly(approval);
        assertThat(search.ids(alice, "批审")).isEmpty();
    }

    @Test
    void mixedAndFullWidthTextIsNormalised() {
        long budget = search.send(alice, group, "Q3预算已经提交给 finance 了");
        long fullWidth = search.send(bob, group, "ＡＰＩ文档在 wiki 上，Ｑ３ 预算 也在");
        long english = search.send(bob, group, "The Q4 budget review is on Friday");
        search.awaitIndexed();

        assertThat(new HashSet<>(search.ids(alice, "Q3 预算"))).containsExactlyInAnyOrder(budget, fullWidth);
        assertThat(search.ids(alice, "api 文档")).containsExactly(fullWidth);
        assertThat(search.ids(alice, "ＦＩＮＡＮＣＥ")).containsExactly(budget);
        assertThat(search.ids(alice, "BUDGET review")).containsExactly(english);
    }

    @Test
    void phrasesAndExclusions() {
        long release = search.send(alice, group, "The release train leaves on Monday");
        long train = search.send(bob, group, "Monday: train the new release managers");
        long draft = search.send(bob, group, "Release notes draft is ready");
        search.awaitIndexed();

        assertThat(search.ids(alice, "\"release train\"")).containsExactly(release);
        assertThat(new HashSet<>(search.ids(alice, "release train"))).containsExactlyInAnyOrder(release, train);
        assertThat(new HashSet<>(search.ids(alice, "release -draft"))).containsExactlyInAnyOrder(release, train);
        assertThat(search.ids(alice, "release -\"release train\" -monday")).containsExactly(draft);
    }

    @Test
    void filtersBySenderConversationMentionAndDate() {
        TestUser carol = clients.user("carol");
        String other = search.group(alice, "Finance 预算 " + alice.username(), carol);
        long fromBob = search.send(bob, group, "合同 draft for review");
        long fromAlice = search.send(alice, group, "合同 final version, @" + bob.username() + " please sign");
        long elsewhere = search.send(carol, other, "合同 archive");
        search.awaitIndexed();

        assertThat(search.ids(alice, "合同 from:" + bob.username())).containsExactly(fromBob);
        assertThat(search.ids(alice, "合同 from:" + bob.username().toUpperCase(Locale.ROOT)))
                .as("from: ignores letter case").containsExactly(fromBob);
        assertThat(search.ids(alice, "合同 FROM:@" + capitalised(bob.username()))).containsExactly(fromBob);
        assertThat(new HashSet<>(search.ids(alice, "合同 from:" + bob.username() + " from:" + carol.username())))
                .containsExactlyInAnyOrder(fromBob, elsewhere);
        assertThat(search.ids(alice, "合同 in:\"Finance 预算 " + alice.username() + "\"")).containsExactly(elsewhere);
        assertThat(search.ids(alice, "合同 in:\u201Cfinance 预算 " + alice.username() + "\u201D"))
                .as("curly quotes around a name").containsExactly(elsewhere);
        assertThat(new HashSet<>(search.ids(alice, "合同 in:" + group))).containsExactlyInAnyOrder(fromBob, fromAlice);
        assertThat(search.ids(bob, "合同 mentions:me")).containsExactly(fromAlice);
        assertThat(search.ids(bob, "mentions:me")).containsExactly(fromAlice);

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(search.ids(alice, "合同 on:" + today, "sort", "newest"))
                .containsExactly(elsewhere, fromAlice, fromBob);
        assertThat(search.ids(alice, "合同 after:" + today.minusDays(1))).hasSize(3);
        assertThat(search.ids(alice, "合同 before:" + today)).isEmpty();
        assertThat(search.ids(alice, "合同 after:" + today)).isEmpty();
        // Fourteen hours ahead of UTC, "today" in UTC may be yesterday there: the zone moves the day.
        assertThat(search.ids(alice, "合同 before:" + today.plusDays(2), "tz", "Pacific/Kiritimati")).hasSize(3);
    }

    private static String capitalised(String name) {
        return name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
    }

    @Test
    void wordsMeetAcrossPunctuationScriptFormsPluralsAndQuotesAlike() {
        long contract = search.send(alice, group, "合同已经签好了");
        long disagreement = search.send(bob, group, "两个方案意见不合，同事们明天再讨论");
        long traditional = search.send(bob, group, "報銷審批通過了嗎？");
        long reviews = search.send(alice, group, "Two code reviews are still pending");
        long tagged = search.send(bob, group, "PR #250 已加标签 type:hotfix");
        long party = search.send(alice, group, "发布成功 🎉");
        search.awaitIndexed();

        assertThat(search.ids(alice, "合同")).as("no pair across a comma").containsExactly(contract);
        assertThat(search.ids(alice, "\"合同\"")).containsExactly(contract);
        assertThat(search.ids(alice, "\"不合，同事\"")).as("a phrase across the same comma").containsExactly(disagreement);
        assertThat(search.ids(alice, "审批")).containsExactly(traditional);
        assertThat(search.ids(alice, "審批 报销")).containsExactly(traditional);
        assertThat(search.ids(alice, "review")).containsExactly(reviews);
        assertThat(search.ids(alice, "\"code review\"")).containsExactly(reviews);
        assertThat(search.ids(alice, "\u201Ccode reviews\u201D")).containsExactly(reviews);
        assertThat(search.ids(alice, "\u201Creviews code\u201D")).as("curly quotes make a phrase").isEmpty();
        assertThat(search.ids(alice, "hotfix")).containsExactly(tagged);
        assertThat(search.ids(alice, "发布 🎉")).as("emoji are decoration, on both engines").containsExactly(party);
        assertThat(search.ids(alice, "发布")).containsExactly(party);

        JsonNode snippet = search.search(alice, "审批").get("items").get(0).get("snippet");
        JsonNode highlight = snippet.get("highlights").get(0);
        assertThat(snippet.get("text").asString().substring(highlight.get("start").asInt(), highlight.get("end").asInt()))
                .as("highlight in the original, traditional text").isEqualTo("審批");
    }

    @Test
    void aShortMessageAboutAWordOutranksALongOneMentioningItInPassing() {
        long about = search.send(alice, group, "The vendor invoice is overdue");
        long digest = search.send(bob, group, "Weekly digest: the printers on three were replaced, the kitchen gets a"
                + " new coffee machine, the Wi-Fi in area B was upgraded, old laptops go back to the front desk,"
                + " travel claims need original receipts, one vendor invoice is still open, the mentoring programme"
                + " is open for sign-up, the wellness budget covers sports courses, the autumn party is on the last"
                + " Friday of October and volunteers for the organising team are welcome. Thanks for the office move!");
        search.awaitIndexed();

        assertThat(search.ids(alice, "invoice")).containsExactly(about, digest);
        assertThat(search.ids(alice, "vendor invoice")).containsExactly(about, digest);
    }

    @Test
    void employeesFindOnlyConversationsTheyAreInNow() {
        TestUser outsider = clients.user("outsider");
        long secret = search.send(alice, group, "薪资调整方案 salary plan");
        search.awaitIndexed();

        assertThat(search.ids(bob, "薪资调整")).containsExactly(secret);
        assertThat(search.ids(outsider, "薪资调整")).isEmpty();
        assertThat(search.ids(outsider, "salary")).isEmpty();

        search.leave(bob, group);
        // No reindex: membership is checked when the search runs.
        assertThat(search.ids(bob, "薪资调整")).isEmpty();
        assertThat(search.searchResponse(bob, "salary in:" + group).problem(400, "SEARCH_UNKNOWN_CONVERSATION"))
                .isNotNull();
    }

    @Test
    void recalledMessagesAndOldTextsAreGoneForEmployees() {
        long recalled = search.send(alice, group, "误发的报价单 quotation v1");
        long edited = search.send(alice, group, "会议改到周三 meeting wednesday");
        search.awaitIndexed();
        search.recall(alice, group, recalled);
        search.edit(alice, group, edited, "会议改到周四 meeting thursday");
        search.awaitIndexed();

        assertThat(search.ids(bob, "报价单")).isEmpty();
        assertThat(search.ids(bob, "quotation")).isEmpty();
        assertThat(search.ids(bob, "周三")).isEmpty();
        assertThat(search.ids(bob, "wednesday")).isEmpty();
        JsonNode page = search.search(bob, "周四");
        assertThat(SearchSetup.idsOf(page)).containsExactly(edited);
        assertThat(page.get("items").get(0).get("edited").asBoolean()).isTrue();
    }

    @Test
    void complianceFindsRecalledAndEarlierTextsAndIsAudited() {
        TestUser officer = clients.user("officer", List.of("employee", "compliance_officer"));
        long recalled = search.send(alice, group, "内部报价 insider price 100");
        long edited = search.send(alice, group, "预算是五十万 budget 500k");
        search.awaitIndexed();
        search.recall(alice, group, recalled);
        search.edit(alice, group, edited, "预算待定 budget tbd");
        search.awaitIndexed();

        JsonNode recalledHit = search.complianceSearch(officer, "内部报价 in:" + group).get("items").get(0);
        assertThat(recalledHit.get("messageId").asLong()).isEqualTo(recalled);
        assertThat(recalledHit.get("recalled").asBoolean()).isTrue();

        JsonNode earlier = search.complianceSearch(officer, "五十万 in:" + group).get("items");
        assertThat(earlier).hasSize(1);
        assertThat(earlier.get(0).get("messageId").asLong()).isEqualTo(edited);
        assertThat(earlier.get(0).get("matchedIn").asString()).isEqualTo("EARLIER_TEXT");
        assertThat(earlier.get(0).get("text").asString()).isEqualTo("预算待定 budget tbd");
        assertThat(earlier.get(0).get("snippet").get("text").asString()).isEqualTo("预算是五十万 budget 500k");
        // An earlier and the current text never form one phrase.
        assertThat(search.complianceSearch(officer, "\"500k 预算待定\" in:" + group).get("items")).isEmpty();

        // Recorded before the results went back: pending or already chained, with the query itself.
        List<String> audited = jdbc.sql("""
                SELECT detail FROM audit.pending_entry WHERE action = 'audit.messages_searched' AND actor_id = :officer
                UNION ALL
                SELECT detail FROM audit.entry WHERE action = 'audit.messages_searched' AND actor_id = :officer
                """).param("officer", officer.id()).query(String.class).list();
        assertThat(audited).hasSize(3).anySatisfy(detail -> assertThat(detail).contains("五十万 in:" + group));
        assertThat(clients.rest(alice).get(SearchSetup.url("/api/v1/search/compliance/messages", "预算"))
                .problem(403, "FORBIDDEN")).isNotNull();
    }

    @Test
    void highlightsPointAtTheMatchInTheOriginalText() {
        search.send(alice, group, "请 ＡＢＣ 同学把审批单发我，审批今天截止");
        search.awaitIndexed();

        JsonNode snippet = search.search(alice, "审批 abc").get("items").get(0).get("snippet");
        String text = snippet.get("text").asString();
        List<String> marked = new ArrayList<>();
        snippet.get("highlights").forEach(h -> marked.add(text.substring(h.get("start").asInt(), h.get("end").asInt())));
        assertThat(marked).containsExactly("ＡＢＣ", "审批", "审批");
    }

    @Test
    void pagesWalkEveryHitOnceInEitherOrder() {
        Set<Long> sent = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            sent.add(search.send(i % 2 == 0 ? alice : bob, group, "周报 weekly report " + i + (i % 3 == 0 ? " 周报" : "")));
        }
        search.awaitIndexed();

        for (String sort : List.of("relevance", "newest")) {
            List<Long> walked = new ArrayList<>();
            String cursor = null;
            do {
                JsonNode page = cursor == null ? search.search(alice, "周报", "limit", "3", "sort", sort)
                        : search.search(alice, "周报", "limit", "3", "sort", sort, "cursor", cursor);
                walked.addAll(SearchSetup.idsOf(page));
                cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
            } while (cursor != null);
            assertThat(walked).as(sort).hasSize(7).doesNotHaveDuplicates();
            assertThat(new HashSet<>(walked)).isEqualTo(sent);
            if (sort.equals("newest")) {
                assertThat(walked).isSortedAccordingTo((a, b) -> Long.compare(b, a));
            }
        }
    }

    @Test
    void badQueriesAreClearProblems() {
        assertThat(search.searchResponse(alice, "\"unclosed").problem(400, "SEARCH_QUERY_INVALID")).isNotNull();
        assertThat(search.searchResponse(alice, "before:yesterday").problem(400, "SEARCH_QUERY_INVALID")).isNotNull();
        assertThat(search.searchResponse(alice, "mentions:bob").problem(400, "SEARCH_QUERY_INVALID")).isNotNull();
        assertThat(search.searchResponse(alice, "   ").problem(400, "SEARCH_QUERY_INVALID")).isNotNull();
        assertThat(search.searchResponse(alice, "x", "sort", "oldest").problem(400, "SEARCH_QUERY_INVALID"))
                .isNotNull();
        assertThat(search.searchResponse(alice, "x", "tz", "Mars/Olympus").problem(400, "SEARCH_QUERY_INVALID"))
                .isNotNull();
        assertThat(search.searchResponse(alice, "x from:nobody-" + alice.username())
                .problem(400, "SEARCH_UNKNOWN_SENDER")).isNotNull();
        assertThat(search.searchResponse(alice, "x", "cursor", "garbage!").problem(400, "VALIDATION_FAILED"))
                .isNotNull();
        assertThat(search.searchResponse(alice, "x", "limit", "0").problem(400, "VALIDATION_FAILED")).isNotNull();
        assertThat(clients.anonymous().get("/api/v1/search/messages?q=x").problem(401, "UNAUTHENTICATED"))
                .isNotNull();
    }
}
