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
 * <p>Elasticsearch does not cut text itself: Chorus's {@code TextAnalysis} does, for both
 * engines, and a document carries its indexed sequence ready-cut, one token per array value of
 * {@link #WORDS}. That field's {@code keyword} analyzer keeps each value whole as one token, and
 * a position increment gap of 0 gives the values consecutive positions, so phrases line up
 * exactly as in PostgreSQL and the field's length is the sequence's, which BM25 normalises by.
 * Chinese bigrams go to the {@link #BIGRAMS} keyword field, for matching only. No analysis
 * plugin is needed (the integration-test distribution has none); the originals are kept
 * unindexed for display.
 */
final class MessageIndexLayout {

    /** Raise with every change below: start-up then sees {@code needsRebuild()} and rebuilds the index. */
    static final int MAPPING_VERSION = 2;

    static final String MESSAGE_ID = "message_id";
    static final String CONVERSATION_ID = "conversation_id";
    static final String SENDER_ID = "sender_id";
    static final String SEQ = "seq";
    static final String SENT_AT = "sent_at";
    /** The indexed sequence of the current text: what employees search. */
    static final String WORDS = "words";
    /** The indexed sequence of the current text and then every earlier one: what compliance searches. */
    static final String ALL_WORDS = "all_words";
    /** The Han bigrams of {@link #WORDS}. */
    static final String BIGRAMS = "bigrams";
    /** The Han bigrams of {@link #ALL_WORDS}. */
    static final String ALL_BIGRAMS = "all_bigrams";
    /**
     * Mapping version 1's text fields, which Elasticsearch analysed itself (each with a
     * {@code bigrams} sub-field). Only read: while an upgrade rebuild replaces such an index,
     * searchers still read it (see {@code MessageQuery}). Remove with mapping version 1's reads.
     */
    static final String V1_TEXT = "text";
    static final String V1_ALL_TEXTS = "all_texts";
    static final String DISPLAY_TEXT = "display_text";
    static final String EARLIER_DISPLAY_TEXTS = "earlier_display_texts";
    static final String MENTIONS = "mentions";
    static final String MENTIONS_ALL = "mentions_all";
    static final String EDITED = "edited";
    static final String RECALLED = "recalled";
    static final String PURGED = "purged";
    static final String VERSION = "version";

    /** Built in: each array value is one token, as Chorus cut it. */
    private static final String ONE_TOKEN_ANALYZER = "keyword";
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
                        .numberOfReplicas(String.valueOf(replicas)))
                .mappings(mapping()));
    }

    static TypeMapping mapping() {
        return TypeMapping.of(m -> m
                .meta("mapping_version", JsonData.of(MAPPING_VERSION))
                // A field the mapping does not name is a bug to fail on, not a guess to index.
                .dynamic(DynamicMapping.Strict)
                // The token sequences are derived from the texts and only searched: kept out of
                // _source, they do not double what the index stores (a rebuild reads chat anyway).
                .source(src -> src.excludes(WORDS, ALL_WORDS, BIGRAMS, ALL_BIGRAMS))
                .properties(MESSAGE_ID, p -> p.long_(l -> l))
                .properties(CONVERSATION_ID, p -> p.keyword(k -> k))
                .properties(SENDER_ID, p -> p.keyword(k -> k))
                .properties(SEQ, p -> p.long_(l -> l))
                // Nanoseconds, as PostgreSQL's microseconds need: newest-first order and paging equal the other engine's.
                .properties(SENT_AT, p -> p.dateNanos(d -> d))
                .properties(WORDS, sequence())
                .properties(ALL_WORDS, sequence())
                .properties(BIGRAMS, p -> p.keyword(k -> k))
                .properties(ALL_BIGRAMS, p -> p.keyword(k -> k))
                .properties(DISPLAY_TEXT, p -> p.text(t -> t.index(false)))
                .properties(EARLIER_DISPLAY_TEXTS, p -> p.text(t -> t.index(false)))
                .properties(MENTIONS, p -> p.keyword(k -> k))
                .properties(MENTIONS_ALL, p -> p.boolean_(b -> b))
                .properties(EDITED, p -> p.boolean_(b -> b))
                .properties(RECALLED, p -> p.boolean_(b -> b))
                .properties(PURGED, p -> p.boolean_(b -> b))
                .properties(VERSION, p -> p.long_(l -> l)));
    }

    /** Tokens at consecutive positions, scored by BM25 (Ranking's K1 and B are Elasticsearch's defaults). */
    private static Property sequence() {
        return Property.of(p -> p.text(t -> t.analyzer(ONE_TOKEN_ANALYZER).positionIncrementGap(0)));
    }

    /** The mapping version an index was built with; 0 when it carries none (not one of ours). */
    static int mappingVersion(TypeMapping mapping) {
        JsonData version = mapping == null ? null : mapping.meta().get("mapping_version");
        return version == null ? 0 : version.to(Integer.class);
    }
}
