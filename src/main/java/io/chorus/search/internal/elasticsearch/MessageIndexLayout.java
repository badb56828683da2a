package io.chorus.search.internal.elasticsearch;

import co.elastic.clients.elasticsearch._types.mapping.DynamicMapping;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import co.elastic.clients.elasticsearch._types.mapping.TypeMapping;
import co.elastic.clients.elasticsearch.indices.CreateIndexRequest;
import co.elastic.clients.json.JsonData;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * How messages are laid out in Elasticsearch: the names, the analysis and the mapping. Searchers
 * read an alias; each build is a concrete index behind it, named after the mapping version and
 * the time it was created, so a new mapping is built beside the old one and swapped in at once.
 *
 * <p>Text is cut exactly as {@code TextAnalysis} cuts it: the {@code standard} tokenizer makes
 * each Han character a token and keeps words whole. Chinese words are matched through the
 * {@code bigrams} sub-fields (two adjacent tokens joined), which is what a query's
 * {@code Term.bigrams()} holds. Only {@code standard}, {@code lowercase} and {@code shingle}
 * are used: the integration-test distribution has no {@code analysis-common} ({@code cjk}).
 * Texts are stored normalised (NFKC, lowercase) by Chorus itself, so {@code Ｑ３} is {@code q3}
 * before Elasticsearch sees it; the originals are kept unindexed for display.
 */
final class MessageIndexLayout {

    /** Raise with every change below: start-up then sees {@code needsRebuild()} and rebuilds the index. */
    static final int MAPPING_VERSION = 1;

    static final String MESSAGE_ID = "message_id";
    static final String CONVERSATION_ID = "conversation_id";
    static final String SENDER_ID = "sender_id";
    static final String SEQ = "seq";
    static final String SENT_AT = "sent_at";
    /** The normalised current text: what employees search. */
    static final String TEXT = "text";
    /** The normalised current text and then every earlier one: what compliance searches. */
    static final String ALL_TEXTS = "all_texts";
    /** Sub-field of {@link #TEXT} and {@link #ALL_TEXTS} holding adjacent-token pairs. */
    static final String BIGRAMS = "bigrams";
    static final String DISPLAY_TEXT = "display_text";
    static final String EARLIER_DISPLAY_TEXTS = "earlier_display_texts";
    static final String MENTIONS = "mentions";
    static final String MENTIONS_ALL = "mentions_all";
    static final String EDITED = "edited";
    static final String RECALLED = "recalled";
    static final String PURGED = "purged";
    static final String VERSION = "version";

    private static final String WORDS_ANALYZER = "chorus_words";
    private static final String BIGRAMS_ANALYZER = "chorus_bigrams";
    private static final String BIGRAM_FILTER = "chorus_bigram";
    /** The texts of one message are this many positions apart, so a phrase never spans two of them. */
    private static final int TEXT_GAP = 100;
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS")
            .withZone(ZoneOffset.UTC);

    private MessageIndexLayout() {
    }

    /** A new concrete index for {@code alias}, e.g. {@code chorus-messages-v1-20260314093000123}. */
    static String concreteName(String alias, Instant now) {
        return alias + "-v" + MAPPING_VERSION + "-" + CREATED.format(now);
    }

    /** Whether {@code index} is one of {@code alias}'s builds, of any mapping version. */
    static boolean isBuildOf(String alias, String index) {
        return Pattern.matches(Pattern.quote(alias) + "-v\\d+-\\d{17}", index);
    }

    /** {@code <alias>-v*}: the wildcard that lists {@code alias}'s builds (then checked with {@link #isBuildOf}). */
    static String buildsPattern(String alias) {
        return alias + "-v*";
    }

    /**
     * The alias on the index being rebuilt, while a rebuild runs. Writes go through it with
     * {@code require_alias}: once the rebuild is abandoned and its index deleted, a late write
     * fails instead of auto-creating an index with a guessed mapping.
     */
    static String rebuildAlias(String alias) {
        return alias + "-rebuild";
    }

    /** The create-index request of a new build. */
    static CreateIndexRequest create(String index, int replicas) {
        return CreateIndexRequest.of(c -> c
                .index(index)
                .settings(s -> s
                        .numberOfReplicas(String.valueOf(replicas))
                        .analysis(a -> a
                                .filter(BIGRAM_FILTER, f -> f.definition(d -> d.shingle(sh -> sh
                                        .minShingleSize(2)
                                        .maxShingleSize(2)
                                        .outputUnigrams(false)
                                        .tokenSeparator(""))))
                                .analyzer(WORDS_ANALYZER, an -> an.custom(cu -> cu
                                        .tokenizer("standard")
                                        .filter("lowercase")))
                                .analyzer(BIGRAMS_ANALYZER, an -> an.custom(cu -> cu
                                        .tokenizer("standard")
                                        .filter("lowercase", BIGRAM_FILTER)))))
                .mappings(mapping()));
    }

    static TypeMapping mapping() {
        return TypeMapping.of(m -> m
                .meta("mapping_version", JsonData.of(MAPPING_VERSION))
                // A field the mapping does not name is a bug to fail on, not a guess to index.
                .dynamic(DynamicMapping.Strict)
                .properties(MESSAGE_ID, p -> p.long_(l -> l))
                .properties(CONVERSATION_ID, p -> p.keyword(k -> k))
                .properties(SENDER_ID, p -> p.keyword(k -> k))
                .properties(SEQ, p -> p.long_(l -> l))
                // Nanoseconds, as PostgreSQL's microseconds need: newest-first order and paging equal the other engine's.
                .properties(SENT_AT, p -> p.dateNanos(d -> d))
                .properties(TEXT, searchableText())
                .properties(ALL_TEXTS, searchableText())
                .properties(DISPLAY_TEXT, p -> p.text(t -> t.index(false)))
                .properties(EARLIER_DISPLAY_TEXTS, p -> p.text(t -> t.index(false)))
                .properties(MENTIONS, p -> p.keyword(k -> k))
                .properties(MENTIONS_ALL, p -> p.boolean_(b -> b))
                .properties(EDITED, p -> p.boolean_(b -> b))
                .properties(RECALLED, p -> p.boolean_(b -> b))
                .properties(PURGED, p -> p.boolean_(b -> b))
                .properties(VERSION, p -> p.long_(l -> l)));
    }

    private static Property searchableText() {
        return Property.of(p -> p.text(t -> t
                .analyzer(WORDS_ANALYZER)
                .positionIncrementGap(TEXT_GAP)
                .fields(BIGRAMS, f -> f.text(b -> b.analyzer(BIGRAMS_ANALYZER).positionIncrementGap(TEXT_GAP)))));
    }

    /** The mapping version an index was built with; 0 when it carries none (not one of ours). */
    static int mappingVersion(TypeMapping mapping) {
        JsonData version = mapping == null ? null : mapping.meta().get("mapping_version");
        return version == null ? 0 : version.to(Integer.class);
    }
}
