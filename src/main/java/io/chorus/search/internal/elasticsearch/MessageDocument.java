package io.chorus.search.internal.elasticsearch;

import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.ALL_BIGRAMS;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.ALL_WORDS;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.BIGRAMS;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.CONVERSATION_ID;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.DISPLAY_TEXT;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.EARLIER_DISPLAY_TEXTS;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.EDITED;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.MENTIONS;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.MENTIONS_ALL;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.MESSAGE_ID;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.PURGED;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.RECALLED;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.SENDER_ID;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.SENT_AT;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.SEQ;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.VERSION;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.WORDS;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.chorus.search.internal.engine.IndexedMessage;
import io.chorus.search.internal.text.TextAnalysis;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A message's {@code _source}: the indexed sequences and bigrams Chorus cut from its texts, the
 * originals that a hit shows, and the filter fields. {@code sentAt} is ISO-8601 text so no mapper setting can
 * turn it into epoch numbers or drop its microseconds. Unknown fields are ignored: a hit from an
 * index of an older mapping, read during an upgrade rebuild, carries that mapping's fields.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record MessageDocument(
        @JsonProperty(MESSAGE_ID) long messageId,
        @JsonProperty(CONVERSATION_ID) UUID conversationId,
        @JsonProperty(SEQ) long seq,
        @JsonProperty(SENDER_ID) UUID senderId,
        @JsonProperty(SENT_AT) String sentAt,
        @JsonProperty(WORDS) List<String> words,
        @JsonProperty(ALL_WORDS) List<String> allWords,
        @JsonProperty(BIGRAMS) List<String> bigrams,
        @JsonProperty(ALL_BIGRAMS) List<String> allBigrams,
        @JsonProperty(DISPLAY_TEXT) String displayText,
        @JsonProperty(EARLIER_DISPLAY_TEXTS) List<String> earlierDisplayTexts,
        @JsonProperty(MENTIONS) List<UUID> mentions,
        @JsonProperty(MENTIONS_ALL) boolean mentionsAll,
        @JsonProperty(EDITED) boolean edited,
        @JsonProperty(RECALLED) boolean recalled,
        @JsonProperty(PURGED) boolean purged,
        @JsonProperty(VERSION) long version) {

    /** The document for {@code message}; a purged message keeps no text at all, only what stops an older write. */
    static MessageDocument of(IndexedMessage message) {
        String text = message.purged() ? "" : message.text();
        List<String> earlier = message.purged() ? List.of() : message.earlierTexts();
        List<String> all = new ArrayList<>();
        all.add(text);
        all.addAll(earlier);
        List<String> words = TextAnalysis.sequenceOfTexts(List.of(text));
        List<String> allWords = TextAnalysis.sequenceOfTexts(all);
        return new MessageDocument(message.messageId(), message.conversationId(), message.seq(),
                message.senderId(), message.sentAt().toString(), words, allWords,
                TextAnalysis.bigramsOf(words).stream().distinct().toList(),
                TextAnalysis.bigramsOf(allWords).stream().distinct().toList(), text, earlier,
                List.copyOf(message.mentions()), message.mentionsAll(), message.edited(), message.recalled(),
                message.purged(), message.version());
    }

    /** The message as the engine SPI hands it out: original texts, as the user wrote them. */
    IndexedMessage toMessage() {
        return new IndexedMessage(messageId, conversationId, seq, senderId, Instant.parse(sentAt), displayText,
                earlierDisplayTexts, Set.copyOf(mentions), mentionsAll, edited, recalled, purged, version);
    }
}
