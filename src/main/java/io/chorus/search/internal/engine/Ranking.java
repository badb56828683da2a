package io.chorus.search.internal.engine;

import io.chorus.search.internal.query.Term;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How both engines rank a relevance search, so that they rank alike: BM25 over the words of the
 * query, with the length of each message counted as Lucene counts it. For each distinct word
 * {@code w} the query asks for (phrase words included, excluded words not), a message scores
 * {@code tf / (tf + K1 * (1 - B + B * length / averageLength))}, summed, where {@code tf} is
 * how often {@code w} stands in the message and {@code length} its number of index positions.
 * A short message about a word thus outranks a long one that mentions it in passing.
 *
 * <p>Elasticsearch computes this itself (its default BM25 similarity, K1 1.2 and B 0.75) and
 * multiplies each word by its inverse document frequency; its average length is the index's.
 * PostgreSQL has neither statistic at hand without scanning the table, so it weighs every word
 * alike and assumes {@link #TYPICAL_LENGTH}. Every hit holds every word, so the orders differ
 * only where a message repeats one word more than another; the judged relevance set holds the
 * two engines within 0.02 MRR of each other. Equal scores are ordered by message id, newest
 * first, on both.
 */
public final class Ranking {

    public static final double K1 = 1.2;
    public static final double B = 0.75;
    /** A chat message's typical length in index positions, PostgreSQL's stand-in for the average. */
    public static final double TYPICAL_LENGTH = 16;

    private static final int MAX_INT4 = int4(Integer.MAX_VALUE);
    private static final int NUM_FREE_VALUES = 255 - MAX_INT4;

    private Ranking() {
    }

    /** The distinct words a query's terms score with, in order. */
    public static List<String> scoredWords(List<Term> include) {
        Set<String> words = new LinkedHashSet<>();
        include.forEach(term -> words.addAll(term.words()));
        return List.copyOf(words);
    }

    /**
     * {@code positions} as Lucene keeps a field's length, in one byte: exact up to 23, then with
     * four significant bits ({@code SmallFloat.intToByte4} and back). PostgreSQL stores this value,
     * so both engines see the same length for the same message.
     */
    public static int storedLength(int positions) {
        if (positions < NUM_FREE_VALUES) {
            return positions;
        }
        int encoded = NUM_FREE_VALUES + int4(positions - NUM_FREE_VALUES);
        return Math.toIntExact(NUM_FREE_VALUES + long4(encoded - NUM_FREE_VALUES));
    }

    private static int int4(long i) {
        int numBits = 64 - Long.numberOfLeadingZeros(i);
        if (numBits < 4) {
            return Math.toIntExact(i);
        }
        int shift = numBits - 4;
        int encoded = Math.toIntExact(i >>> shift) & 0x07;
        return encoded | ((shift + 1) << 3);
    }

    private static long long4(int i) {
        long bits = i & 0x07;
        int shift = (i >>> 3) - 1;
        return shift == -1 ? bits : (bits | 0x08) << shift;
    }
}
