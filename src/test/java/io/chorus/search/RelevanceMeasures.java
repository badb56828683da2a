package io.chorus.search;

import java.util.List;
import java.util.Set;

/**
 * The measures of a ranked answer to a judged query, over its first ten hits, with binary
 * judgements: precision, recall (of min(relevant, 10)), reciprocal rank of the first relevant
 * hit, and nDCG.
 */
public record RelevanceMeasures(double precision, double recall, double reciprocalRank, double ndcg) {

    public static final int DEPTH = 10;

    public static RelevanceMeasures of(List<String> ranked, Set<String> relevant) {
        List<String> top = ranked.subList(0, Math.min(DEPTH, ranked.size()));
        long hits = top.stream().filter(relevant::contains).count();
        double precision = top.isEmpty() ? 0 : (double) hits / top.size();
        double recall = (double) hits / Math.min(relevant.size(), DEPTH);
        double reciprocalRank = 0;
        double dcg = 0;
        for (int rank = 0; rank < top.size(); rank++) {
            if (relevant.contains(top.get(rank))) {
                reciprocalRank = reciprocalRank == 0 ? 1.0 / (rank + 1) : reciprocalRank;
                dcg += 1 / log2(rank + 2);
            }
        }
        double ideal = 0;
        for (int rank = 0; rank < Math.min(relevant.size(), DEPTH); rank++) {
            ideal += 1 / log2(rank + 2);
        }
        return new RelevanceMeasures(precision, recall, reciprocalRank, dcg / ideal);
    }

    /** The mean of each measure. */
    public static RelevanceMeasures mean(List<RelevanceMeasures> all) {
        return new RelevanceMeasures(all.stream().mapToDouble(RelevanceMeasures::precision).average().orElse(0),
                all.stream().mapToDouble(RelevanceMeasures::recall).average().orElse(0),
                all.stream().mapToDouble(RelevanceMeasures::reciprocalRank).average().orElse(0),
                all.stream().mapToDouble(RelevanceMeasures::ndcg).average().orElse(0));
    }

    @Override
    public String toString() {
        return "P@10 %.3f R@10 %.3f MRR %.3f nDCG@10 %.3f".formatted(precision, recall, reciprocalRank, ndcg);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
