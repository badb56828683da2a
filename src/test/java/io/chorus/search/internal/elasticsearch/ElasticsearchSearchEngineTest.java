package io.chorus.search.internal.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import io.chorus.search.SearchSort;
import io.chorus.search.internal.engine.EngineHit;
import io.chorus.search.internal.engine.EngineQuery;
import io.chorus.search.internal.engine.IndexedMessage;
import io.chorus.search.internal.engine.SearchEngine;
import io.chorus.search.internal.query.ParsedQuery;
import io.chorus.search.internal.query.QueryParser;
import io.chorus.search.internal.query.Term;
import io.chorus.search.internal.text.TextAnalysis;
import io.chorus.support.ElasticsearchNode;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Elasticsearch engine against a real node (the integration-test distribution), at the
 * level of the engine SPI: what a query finds, what the version rule keeps, how a rebuild swaps
 * indices. Every test writes into conversations of its own, so tests never see each other's
 * documents on the shared index; tests that rebuild use an index (alias) of their own.
 */
class ElasticsearchSearchEngineTest {

    private static final AtomicLong IDS = new AtomicLong(1_000);
    private static final Instant BASE = Instant.parse("2026-03-02T08:00:00Z");
    private static final UUID ALICE = UUID.randomUUID();
    private static final UUID BOB = UUID.randomUUID();

    private static Rest5Client rest;
    private static ElasticsearchClient client;
    private static ElasticsearchSearchEngine engine;

    @BeforeAll
    static void startNodeAndBuildIndex() {
        rest = Rest5Client.builder(URI.create(ElasticsearchNode.get().uri())).build();
        client = new ElasticsearchClient(new Rest5ClientTransport(rest, new Jackson3JsonpMapper()));
        engine = engine(uniqueAlias());
        assertThat(engine.needsRebuild()).as("a fresh cluster has no index yet").isTrue();
        engine.startRebuild().complete();
        assertThat(engine.needsRebuild()).isFalse();
    }

    @AfterAll
    static void closeClient() throws IOException {
        rest.close();
    }

    // --- Chinese, mixed and normalised text ---

    @Test
    void chineseWordFindsItsCharactersSideBySideOnly() {
        UUID conversation = UUID.randomUUID();
        IndexedMessage together = write(new Doc(conversation, "项目审批流程已经通过"));
        write(new Doc(conversation, "审核后批准")); // 审 and 批 both there, but apart

        assertThat(ids(Search.of("审批").in(conversation))).containsExactly(together.messageId());
        assertThat(ids(Search.of("批").in(conversation))).hasSize(2);
    }

    @Test
    void phraseNeedsItsCharactersInOrderWhileTwoTermsMatchAnywhere() {
        UUID conversation = UUID.randomUUID();
        IndexedMessage apart = write(new Doc(conversation, "流程已经通过"));
        IndexedMessage adjacent = write(new Doc(conversation, "流程通过了"));

        assertThat(ids(Search.of("\"流程通过\"").in(conversation))).containsExactly(adjacent.messageId());
        assertThat(ids(Search.of("流程通过").in(conversation)))
                .as("one free term needs its bigram 程通").containsExactly(adjacent.messageId());
        assertThat(ids(Search.of("流程 通过").in(conversation)))
                .containsExactlyInAnyOrder(apart.messageId(), adjacent.messageId());
    }

    @Test
    void mixedLatinAndChineseTermsAllMustMatch() {
        UUID conversation = UUID.randomUUID();
        IndexedMessage both = write(new Doc(conversation, "Q3 预算已经批准"));
        write(new Doc(conversation, "Q4 预算"));
        write(new Doc(conversation, "q3 review"));

        assertThat(ids(Search.of("Q3 预算").in(conversation))).containsExactly(both.messageId());
        assertThat(ids(Search.of("q3").in(conversation))).hasSize(2);
    }

    @Test
    void fullWidthTextAndQueriesMeetInTheirNormalForm() {
        UUID conversation = UUID.randomUUID();
        IndexedMessage fullWidth = write(new Doc(conversation, "Ｑ３预算ＯＫ"));

        assertThat(ids(Search.of("q3 预算").in(conversation))).containsExactly(fullWidth.messageId());
        assertThat(ids(Search.of("Ｑ３").in(conversation))).containsExactly(fullWidth.messageId());
        assertThat(ids(Search.of("ok").in(conversation))).containsExactly(fullWidth.messageId());
        assertThat(engine.search(Search.of("q3").in(conversation).build()).getFirst().message().text())
                .as("hits show the text as it was written").isEqualTo("Ｑ３预算ＯＫ");
    }

    @Test
    void excludedTermsAndPhrasesRemoveMatches() {
        UUID conversation = UUID.randomUUID();
        IndexedMessage draft = write(new Doc(conversation, "预算 草稿"));
        IndexedMessage finalVersion = write(new Doc(conversation, "预算 定稿"));
        IndexedMessage scattered = write(new Doc(conversation, "预算 草案 稿纸"));

        assertThat(ids(Search.of("预算 -草稿").in(conversation)))
                .as("草 and 稿 apart are no 草稿").containsExactlyInAnyOrder(finalVersion.messageId(), scattered.messageId());
        assertThat(ids(Search.of("预算 -草").in(conversation))).containsExactly(finalVersion.messageId());
        assertThat(ids(Search.of("预算 -\"案稿\"").in(conversation)))
                .as("a space between 案 and 稿 breaks the phrase").hasSize(3);
        assertThat(ids(Search.of("预算 -\"案 稿\"").in(conversation)))
                .containsExactlyInAnyOrder(draft.messageId(), finalVersion.messageId());
    }

    // --- employees and compliance ---

    @Test
    void recalledMessageIsHiddenFromEmployeesAndFoundByCompliance() {
        UUID conversation = UUID.randomUUID();
        IndexedMessage recalled = write(new Doc(conversation, "撤回的消息").recalled().version(2));

        assertThat(ids(Search.of("撤回").in(conversation))).isEmpty();
        assertThat(ids(Search.of("撤回").in(conversation).compliance())).containsExactly(recalled.messageId());
        assertThat(ids(Search.of("撤回").compliance().everywhere())).containsExactly(recalled.messageId());
    }

    @Test
    void earlierTextIsMatchedOnlyForCompliance() {
        UUID conversation = UUID.randomUUID();
        IndexedMessage edited = write(new Doc(conversation, "新的方案").earlier("旧的方案 budget").edited().version(2));

        assertThat(ids(Search.of("budget").in(conversation))).isEmpty();
        assertThat(ids(Search.of("方案").in(conversation))).containsExactly(edited.messageId());
        List<EngineHit> hits = engine.search(Search.of("budget").in(conversation).compliance().build());
        assertThat(hits).extracting(hit -> hit.message().messageId()).containsExactly(edited.messageId());
        assertThat(hits.getFirst().message().text()).isEqualTo("新的方案");
        assertThat(hits.getFirst().message().earlierTexts()).containsExactly("旧的方案 budget");
    }

    @Test
    void phraseNeverSpansTheCurrentAndAnEarlierText() {
        UUID conversation = UUID.randomUUID();
        IndexedMessage edited = write(new Doc(conversation, "审 alpha beta").earlier("gamma delta 审", "批准").edited()
                .version(3));

        assertThat(ids(Search.of("\"beta gamma\"").in(conversation).compliance())).isEmpty();
        assertThat(ids(Search.of("审批").in(conversation).compliance())).as("no bigram across two texts").isEmpty();
        assertThat(ids(Search.of("\"gamma delta\"").in(conversation).compliance()))
                .containsExactly(edited.messageId());
        assertThat(ids(Search.of("批准").in(conversation).compliance())).containsExactly(edited.messageId());
    }

    // --- filters ---

    @Test
    void conversationAndSenderFiltersNarrowTheSearch() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        IndexedMessage aliceInFirst = write(new Doc(first, "周报").sender(ALICE));
        IndexedMessage bobInFirst = write(new Doc(first, "周报").sender(BOB));
        IndexedMessage aliceInSecond = write(new Doc(second, "周报").sender(ALICE));

        assertThat(ids(Search.of("周报").in(first))).containsExactlyInAnyOrder(aliceInFirst.messageId(),
                bobInFirst.messageId());
        assertThat(ids(Search.of("周报").in(first, second).from(ALICE)))
                .containsExactlyInAnyOrder(aliceInFirst.messageId(), aliceInSecond.messageId());
        assertThat(ids(Search.of("周报").in(first, second).from(BOB))).containsExactly(bobInFirst.messageId());
        assertThat(ids(Search.of("周报").in())).as("no conversation, no results").isEmpty();
        assertThat(ids(Search.of("周报").in(first).from())).as("no sender, no results").isEmpty();
    }

    @Test
    void mentioningFindsDirectMentionsAndMentionsOfAll() {
        UUID conversation = UUID.randomUUID();
        IndexedMessage direct = write(new Doc(conversation, "请看一下").mentions(BOB));
        IndexedMessage everyone = write(new Doc(conversation, "大家请看").mentionsAll());
        write(new Doc(conversation, "请看看这个").mentions(ALICE));

        assertThat(ids(Search.of("请看").in(conversation).mentioning(BOB)))
                .containsExactlyInAnyOrder(direct.messageId(), everyone.messageId());
        assertThat(ids(Search.filtersOnly().in(conversation).mentioning(BOB)))
                .containsExactly(everyone.messageId(), direct.messageId());
    }

    @Test
    void sentAfterIsInclusiveAndSentBeforeExclusiveToTheMicrosecond() {
        UUID conversation = UUID.randomUUID();
        Instant at = Instant.parse("2026-03-05T10:00:00.000001Z");
        write(new Doc(conversation, "日报").sentAt(at.minusNanos(1_000)));
        IndexedMessage onTime = write(new Doc(conversation, "日报").sentAt(at));
        write(new Doc(conversation, "日报").sentAt(at.plusSeconds(1)));

        assertThat(ids(Search.of("日报").in(conversation).between(at, at.plusSeconds(1))))
                .containsExactly(onTime.messageId());
        assertThat(ids(Search.of("日报").in(conversation).between(at.plusNanos(1_000), null))).hasSize(1);
        assertThat(ids(Search.of("日报").in(conversation).between(null, at))).hasSize(1);
    }

    // --- the version rule ---

    @Test
    void olderVersionAfterNewerIsIgnoredAndCountsAsWritten() {
        UUID conversation = UUID.randomUUID();
        Doc message = new Doc(conversation, "最终版本").version(2).edited();
        write(message);

        IndexedMessage older = message.text("初稿").version(1).build();
        assertThat(engine.index(List.of(older))).containsExactly(older.messageId());
        assertThat(ids(Search.of("初稿").in(conversation))).isEmpty();
        assertThat(ids(Search.of("最终版本").in(conversation))).containsExactly(older.messageId());

        IndexedMessage same = message.text("最终版本 再改").version(2).build();
        assertThat(engine.index(List.of(same))).as("an equal version replaces").containsExactly(same.messageId());
        assertThat(ids(Search.of("再改").in(conversation))).containsExactly(same.messageId());
    }

    @Test
    void purgedTombstoneIsNeverReturnedAndBlocksOlderWrites() {
        UUID conversation = UUID.randomUUID();
        Doc message = new Doc(conversation, "机密内容");
        IndexedMessage live = write(message);
        write(message.text("").purged().version(3));

        assertThat(ids(Search.of("机密").in(conversation).compliance())).isEmpty();
        assertThat(ids(Search.filtersOnly().in(conversation).compliance())).isEmpty();
        assertThat(engine.index(List.of(live))).as("the late write counts as done").containsExactly(live.messageId());
        assertThat(ids(Search.of("机密").in(conversation).compliance())).isEmpty();
    }

    @Test
    void batchReportsEveryDocumentOfIt() {
        UUID conversation = UUID.randomUUID();
        List<IndexedMessage> batch = List.of(new Doc(conversation, "一").build(), new Doc(conversation, "二").build(),
                new Doc(conversation, "三").build());

        assertThat(engine.index(batch)).containsExactlyInAnyOrderElementsOf(
                batch.stream().map(IndexedMessage::messageId).toList());
        assertThat(engine.index(List.of())).isEmpty();
        assertThat(ids(Search.filtersOnly().in(conversation))).hasSize(3);
    }

    // --- order and paging ---

    @Test
    void relevanceOrdersByScoreThenNewestIdAndPagesByOffset() {
        UUID conversation = UUID.randomUUID();
        IndexedMessage best = write(new Doc(conversation, "报告"));
        List<Long> tied = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            tied.add(write(new Doc(conversation, "报告 以及 其他 很多 无关 的 字 和 词")).messageId());
        }
        tied.sort(Comparator.reverseOrder());

        List<EngineHit> all = engine.search(Search.of("报告").in(conversation).build());
        assertThat(all).extracting(hit -> hit.message().messageId()).startsWith(best.messageId())
                .containsSubsequence(tied);
        assertThat(all.getFirst().score()).isGreaterThan(all.getLast().score());
        assertThat(ids(Search.of("报告").in(conversation).page(1, 2))).containsExactly(tied.get(0), tied.get(1));
        assertThat(ids(Search.of("报告").in(conversation).page(3, 2))).containsExactly(tied.get(2), tied.get(3));
        assertThat(ids(Search.of("报告").in(conversation).page(5, 2))).isEmpty();
    }

    @Test
    void newestOrdersBySentAtThenIdAndPagesAfterTheLastHit() {
        UUID conversation = UUID.randomUUID();
        Instant at = Instant.parse("2026-03-06T09:00:00.000500Z");
        // Written first, so its id is the lowest: only microseconds put it before the two below.
        IndexedMessage microLater = write(new Doc(conversation, "进度").sentAt(at.plusNanos(1_000)));
        IndexedMessage oldest = write(new Doc(conversation, "进度").sentAt(at.minusSeconds(60)));
        IndexedMessage tieLow = write(new Doc(conversation, "进度").sentAt(at));
        IndexedMessage tieHigh = write(new Doc(conversation, "进度").sentAt(at));
        IndexedMessage newest = write(new Doc(conversation, "进度").sentAt(at.plusSeconds(60)));
        List<Long> expected = List.of(newest.messageId(), microLater.messageId(), tieHigh.messageId(),
                tieLow.messageId(), oldest.messageId());

        List<EngineHit> firstPage = engine.search(Search.of("进度").in(conversation).newest().limit(2).build());
        assertThat(firstPage).extracting(hit -> hit.message().messageId()).isEqualTo(expected.subList(0, 2));
        assertThat(firstPage).extracting(EngineHit::score).containsOnly(0.0);
        assertThat(firstPage.getLast().message().sentAt()).isEqualTo(at.plusNanos(1_000));

        List<Long> paged = new ArrayList<>();
        EngineQuery.Keyset after = null;
        for (int page = 0; page < 5; page++) {
            List<EngineHit> hits = engine.search(Search.filtersOnly().in(conversation).after(after).limit(2).build());
            if (hits.isEmpty()) {
                break;
            }
            hits.forEach(hit -> paged.add(hit.message().messageId()));
            IndexedMessage last = hits.getLast().message();
            after = new EngineQuery.Keyset(last.sentAt(), last.messageId());
        }
        assertThat(paged).as("a search without terms is newest first").isEqualTo(expected);
    }

    // --- rebuilds ---

    @Test
    void writesDuringARebuildLandInBothIndicesAndCompleteSwapsTheAlias() throws IOException {
        String alias = uniqueAlias();
        ElasticsearchSearchEngine own = engine(alias);
        SearchEngine.Rebuild first = own.startRebuild();
        UUID conversation = UUID.randomUUID();
        IndexedMessage streamed = new Doc(conversation, "第一次重建").build();
        first.write(List.of(streamed));
        first.complete();
        String firstIndex = first.target();
        assertThat(aliasTargets(alias)).containsExactly(firstIndex);

        SearchEngine.Rebuild second = own.startRebuild();
        IndexedMessage sentMeanwhile = new Doc(conversation, "重建期间发送").build();
        assertThat(own.index(List.of(sentMeanwhile))).containsExactly(sentMeanwhile.messageId());
        assertThat(stored(firstIndex, sentMeanwhile)).isTrue();
        assertThat(stored(second.target(), sentMeanwhile)).isTrue();
        assertThat(ids(own, Search.of("重建期间发送").in(conversation)))
                .as("searchers still read the old index").containsExactly(sentMeanwhile.messageId());
        second.write(List.of(streamed));
        second.complete();

        assertThat(aliasTargets(alias)).containsExactly(second.target());
        assertThat(client.indices().exists(e -> e.index(firstIndex)).value()).isFalse();
        assertThat(ids(own, Search.of("重建").in(conversation)))
                .containsExactlyInAnyOrder(streamed.messageId(), sentMeanwhile.messageId());
        assertThat(own.needsRebuild()).isFalse();
        assertThatThrownBy(() -> second.write(List.of(streamed))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rebuildOnAFreshClusterServesNothingUntilItCompletes() throws IOException {
        String alias = uniqueAlias();
        ElasticsearchSearchEngine own = engine(alias);
        UUID conversation = UUID.randomUUID();
        IndexedMessage early = new Doc(conversation, "太早").build();

        assertThat(own.index(List.of(early))).as("no index yet: stays queued").isEmpty();
        assertThat(client.indices().exists(e -> e.index(alias)).value()).as("nothing auto-created").isFalse();

        SearchEngine.Rebuild rebuild = own.startRebuild();
        assertThat(own.index(List.of(early))).as("the alias searchers read is still missing").isEmpty();
        assertThat(stored(rebuild.target(), early)).as("but the new index has it").isTrue();
        rebuild.complete();

        assertThat(own.index(List.of(early))).containsExactly(early.messageId());
        assertThat(ids(own, Search.of("太早").in(conversation))).containsExactly(early.messageId());
    }

    @Test
    void abandonedRebuildDropsItsIndexAndLeavesSearchersAlone() throws IOException {
        String alias = uniqueAlias();
        ElasticsearchSearchEngine own = engine(alias);
        own.startRebuild().complete();
        String current = aliasTargets(alias).getFirst();

        SearchEngine.Rebuild abandoned = own.startRebuild();
        abandoned.abandon();

        assertThat(client.indices().exists(e -> e.index(abandoned.target())).value()).isFalse();
        assertThat(aliasTargets(alias)).containsExactly(current);
        UUID conversation = UUID.randomUUID();
        IndexedMessage after = new Doc(conversation, "放弃之后").build();
        assertThat(own.index(List.of(after))).containsExactly(after.messageId());
        assertThat(client.indices().exists(e -> e.index(abandoned.target())).value())
                .as("a later write does not bring the index back").isFalse();
        assertThatThrownBy(() -> abandoned.write(List.of(after))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void orphanOfACrashedRebuildIsIgnoredAndThenCleanedUp() throws IOException {
        String alias = uniqueAlias();
        ElasticsearchSearchEngine own = engine(alias);
        own.startRebuild().complete();
        SearchEngine.Rebuild crashed = own.startRebuild(); // its node died: never completed, never abandoned
        sleep(Duration.ofMillis(5)); // index names carry the millisecond they were created in

        SearchEngine.Rebuild next = own.startRebuild();
        UUID conversation = UUID.randomUUID();
        IndexedMessage meanwhile = new Doc(conversation, "孤儿").build();
        assertThat(own.index(List.of(meanwhile))).containsExactly(meanwhile.messageId());
        assertThat(stored(next.target(), meanwhile)).isTrue();
        assertThat(stored(crashed.target(), meanwhile)).as("the orphan lost the rebuild alias").isFalse();
        next.complete();

        assertThat(aliasTargets(alias)).containsExactly(next.target());
        assertThat(client.indices().exists(e -> e.index(crashed.target())).value()).isFalse();
        assertThat(ids(own, Search.of("孤儿").in(conversation))).containsExactly(meanwhile.messageId());
    }

    @Test
    void needsRebuildWhenTheIndexIsGoneOrBuiltWithAnotherMapping() throws IOException {
        String alias = uniqueAlias();
        ElasticsearchSearchEngine own = engine(alias);
        SearchEngine.Rebuild rebuild = own.startRebuild();
        rebuild.complete();
        assertThat(own.needsRebuild()).isFalse();

        client.indices().delete(d -> d.index(rebuild.target()));
        assertThat(own.needsRebuild()).as("index removed").isTrue();

        String older = alias + "-v0-20200101000000000";
        client.indices().create(c -> c.index(older).aliases(alias, a -> a)
                .mappings(m -> m.meta("mapping_version", JsonData.of(MessageIndexLayout.MAPPING_VERSION - 1))));
        assertThat(own.needsRebuild()).as("older mapping").isTrue();
        own.startRebuild().complete();
        assertThat(own.needsRebuild()).isFalse();
        assertThat(client.indices().exists(e -> e.index(older)).value()).isFalse();
    }

    @Test
    void upgradeFromMappingVersion1KeepsSearchAnsweringAndLiveWritesFlowing() throws IOException {
        String alias = uniqueAlias();
        ElasticsearchSearchEngine own = engine(alias);
        String v1Index = alias + "-v1-20260101000000000";
        client.indices().create(c -> c.withJson(new StringReader(V1_INDEX.formatted(alias))).index(v1Index));
        UUID conversation = UUID.randomUUID();
        IndexedMessage before = new Doc(conversation, "升级之前的预算 draft").earlier("旧稿").build();
        client.index(i -> i.index(alias).id(String.valueOf(before.messageId())).document(v1Document(before))
                .refresh(Refresh.True));
        assertThat(own.needsRebuild()).as("a version 1 index").isTrue();

        SearchEngine.Rebuild upgrade = own.startRebuild();
        IndexedMessage meanwhile = new Doc(conversation, "升级期间的预算 draft").build();
        assertThat(own.index(List.of(meanwhile)))
                .as("the old index's strict mapping does not hold the queue").containsExactly(meanwhile.messageId());
        assertThat(stored(upgrade.target(), meanwhile)).isTrue();
        assertThat(ids(own, Search.of("预算").in(conversation)))
                .as("searchers still read the version 1 index, and find in it").containsExactly(before.messageId());
        assertThat(ids(own, Search.of("\"之前的预算\" draft -期间").in(conversation))).containsExactly(before.messageId());
        assertThat(ids(own, Search.of("旧稿").in(conversation))).isEmpty();
        assertThat(ids(own, Search.of("旧稿").in(conversation).compliance())).containsExactly(before.messageId());
        assertThat(own.search(Search.of("预算").in(conversation).build()).getFirst().message().text())
                .isEqualTo(before.text());

        upgrade.write(List.of(before));
        upgrade.complete();

        assertThat(aliasTargets(alias)).containsExactly(upgrade.target());
        assertThat(client.indices().exists(e -> e.index(v1Index)).value()).isFalse();
        assertThat(ids(own, Search.of("预算").in(conversation)))
                .containsExactlyInAnyOrder(before.messageId(), meanwhile.messageId());
        assertThat(own.needsRebuild()).isFalse();
    }

    // --- reachability ---

    @Test
    void unreachableClusterIsReportedAndWritesThrow() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (Rest5Client nowhere = Rest5Client.builder(URI.create("http://127.0.0.1:" + closedPort)).build()) {
            ElasticsearchSearchEngine down = new ElasticsearchSearchEngine(
                    new ElasticsearchClient(new Rest5ClientTransport(nowhere, new Jackson3JsonpMapper())),
                    new ElasticsearchIndexProperties(uniqueAlias(), true, 0), Clock.systemUTC());

            assertThat(down.reachable()).isFalse();
            assertThatThrownBy(() -> down.index(List.of(new Doc(UUID.randomUUID(), "发不出去").build())))
                    .isInstanceOf(RuntimeException.class);
        }
        assertThat(engine.reachable()).isTrue();
    }

    @Test
    void stoppedNodeIsUnreachableAndARestartKeepsTheIndex() {
        UUID conversation = UUID.randomUUID();
        IndexedMessage before = write(new Doc(conversation, "重启之前"));
        ElasticsearchNode node = ElasticsearchNode.get();

        node.stop();
        try {
            assertThat(engine.reachable()).isFalse();
            assertThatThrownBy(() -> engine.index(List.of(new Doc(conversation, "停机").build())))
                    .isInstanceOf(RuntimeException.class);
        } finally {
            long restart = System.nanoTime();
            node.start();
            assertThat(Duration.ofNanos(System.nanoTime() - restart)).isLessThan(Duration.ofSeconds(60));
        }

        assertThat(engine.reachable()).isTrue();
        assertThat(ids(Search.of("重启").in(conversation))).containsExactly(before.messageId());
        IndexedMessage after = write(new Doc(conversation, "重启之后"));
        assertThat(ids(Search.of("重启").in(conversation)))
                .containsExactlyInAnyOrder(before.messageId(), after.messageId());
    }

    // --- helpers ---

    /** An index as mapping version 1 laid it out (strict, analysed by Elasticsearch), behind alias {@code %s}. */
    private static final String V1_INDEX = """
            {
              "settings": {
                "number_of_replicas": 0,
                "analysis": {
                  "filter": {
                    "chorus_bigram": {"type": "shingle", "min_shingle_size": 2, "max_shingle_size": 2,
                                      "output_unigrams": false, "token_separator": ""}
                  },
                  "analyzer": {
                    "chorus_words": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]},
                    "chorus_bigrams": {"type": "custom", "tokenizer": "standard",
                                       "filter": ["lowercase", "chorus_bigram"]}
                  }
                }
              },
              "mappings": {
                "_meta": {"mapping_version": 1},
                "dynamic": "strict",
                "properties": {
                  "message_id": {"type": "long"},
                  "conversation_id": {"type": "keyword"},
                  "sender_id": {"type": "keyword"},
                  "seq": {"type": "long"},
                  "sent_at": {"type": "date_nanos"},
                  "text": {"type": "text", "analyzer": "chorus_words", "position_increment_gap": 100,
                           "fields": {"bigrams": {"type": "text", "analyzer": "chorus_bigrams",
                                                  "position_increment_gap": 100}}},
                  "all_texts": {"type": "text", "analyzer": "chorus_words", "position_increment_gap": 100,
                                "fields": {"bigrams": {"type": "text", "analyzer": "chorus_bigrams",
                                                       "position_increment_gap": 100}}},
                  "display_text": {"type": "text", "index": false},
                  "earlier_display_texts": {"type": "text", "index": false},
                  "mentions": {"type": "keyword"},
                  "mentions_all": {"type": "boolean"},
                  "edited": {"type": "boolean"},
                  "recalled": {"type": "boolean"},
                  "purged": {"type": "boolean"},
                  "version": {"type": "long"}
                }
              },
              "aliases": {"%s": {}}
            }
            """;

    /** A message's document as mapping version 1 held it: normalised texts for Elasticsearch to analyse. */
    private static Map<String, Object> v1Document(IndexedMessage message) {
        List<String> all = new ArrayList<>();
        all.add(TextAnalysis.normalise(message.text()));
        message.earlierTexts().forEach(text -> all.add(TextAnalysis.normalise(text)));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("message_id", message.messageId());
        document.put("conversation_id", message.conversationId().toString());
        document.put("seq", message.seq());
        document.put("sender_id", message.senderId().toString());
        document.put("sent_at", message.sentAt().toString());
        document.put("text", TextAnalysis.normalise(message.text()));
        document.put("all_texts", all);
        document.put("display_text", message.text());
        document.put("earlier_display_texts", message.earlierTexts());
        document.put("mentions", List.of());
        document.put("mentions_all", message.mentionsAll());
        document.put("edited", message.edited());
        document.put("recalled", message.recalled());
        document.put("purged", message.purged());
        document.put("version", message.version());
        return document;
    }

    private static ElasticsearchSearchEngine engine(String alias) {
        return new ElasticsearchSearchEngine(client, new ElasticsearchIndexProperties(alias, true, 0),
                Clock.systemUTC());
    }

    private static String uniqueAlias() {
        return "chorus-test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static IndexedMessage write(Doc doc) {
        IndexedMessage message = doc.build();
        assertThat(engine.index(List.of(message))).containsExactly(message.messageId());
        return message;
    }

    private static List<Long> ids(Search search) {
        return ids(engine, search);
    }

    private static List<Long> ids(SearchEngine on, Search search) {
        return on.search(search.build()).stream().map(hit -> hit.message().messageId()).toList();
    }

    private static List<String> aliasTargets(String alias) throws IOException {
        return List.copyOf(client.indices().getAlias(g -> g.name(alias)).aliases().keySet());
    }

    /** Whether {@code index} holds this version of the message (a real-time get: no refresh needed). */
    private static boolean stored(String index, IndexedMessage message) throws IOException {
        GetResponse<MessageDocument> got = client.get(g -> g.index(index).id(String.valueOf(message.messageId())),
                MessageDocument.class);
        return got.found() && got.source().version() == message.version();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A message as the indexer would hand it over; each gets a new id and, by default, a later time. */
    private static final class Doc {
        private final long id = IDS.incrementAndGet();
        private final UUID conversation;
        private String text;
        private UUID sender = ALICE;
        private Instant sentAt = BASE.plusSeconds(id);
        private List<String> earlier = List.of();
        private Set<UUID> mentions = Set.of();
        private boolean mentionsAll;
        private boolean edited;
        private boolean recalled;
        private boolean purged;
        private long version = 1;

        Doc(UUID conversation, String text) {
            this.conversation = conversation;
            this.text = text;
        }

        Doc text(String value) {
            text = value;
            return this;
        }

        Doc sender(UUID value) {
            sender = value;
            return this;
        }

        Doc sentAt(Instant value) {
            sentAt = value;
            return this;
        }

        Doc earlier(String... texts) {
            earlier = List.of(texts);
            return this;
        }

        Doc mentions(UUID... users) {
            mentions = Set.of(users);
            return this;
        }

        Doc mentionsAll() {
            mentionsAll = true;
            return this;
        }

        Doc edited() {
            edited = true;
            return this;
        }

        Doc recalled() {
            recalled = true;
            return this;
        }

        Doc purged() {
            purged = true;
            return this;
        }

        Doc version(long value) {
            version = value;
            return this;
        }

        IndexedMessage build() {
            return new IndexedMessage(id, conversation, id, sender, sentAt, text, earlier, mentions, mentionsAll,
                    edited, recalled, purged, version);
        }
    }

    /** An engine query as the search module would resolve it, from the query language itself. */
    private static final class Search {
        private final List<Term> include;
        private final List<Term> exclude;
        private Set<UUID> conversations;
        private Set<UUID> senders;
        private UUID mentioning;
        private Instant sentAfter;
        private Instant sentBefore;
        private boolean compliance;
        private SearchSort sort = SearchSort.RELEVANCE;
        private int offset;
        private EngineQuery.Keyset after;
        private int limit = 50;

        private Search(List<Term> include, List<Term> exclude) {
            this.include = include;
            this.exclude = exclude;
        }

        static Search of(String q) {
            ParsedQuery parsed = QueryParser.parse(q);
            return new Search(parsed.include(), parsed.exclude());
        }

        static Search filtersOnly() {
            return new Search(List.of(), List.of());
        }

        Search in(UUID... ids) {
            conversations = Set.copyOf(Arrays.asList(ids));
            return this;
        }

        /** Compliance reach: every conversation. */
        Search everywhere() {
            conversations = null;
            return this;
        }

        Search from(UUID... ids) {
            senders = Set.copyOf(Arrays.asList(ids));
            return this;
        }

        Search mentioning(UUID user) {
            mentioning = user;
            return this;
        }

        Search between(Instant after, Instant before) {
            sentAfter = after;
            sentBefore = before;
            return this;
        }

        Search compliance() {
            compliance = true;
            return this;
        }

        Search newest() {
            sort = SearchSort.NEWEST;
            return this;
        }

        Search page(int from, int size) {
            offset = from;
            limit = size;
            return this;
        }

        Search after(EngineQuery.Keyset keyset) {
            after = keyset;
            return this;
        }

        Search limit(int size) {
            limit = size;
            return this;
        }

        EngineQuery build() {
            return new EngineQuery(include, exclude, conversations, senders, mentioning, sentAfter, sentBefore,
                    compliance, sort, offset, after, limit);
        }
    }
}
