package vap.recognizer.track;

import vap.recognizer.index.Metric;
import vap.recognizer.watchlist.Identity;

/**
 * A track's decision on its fused evidence.
 *
 * @param identity  the watchlisted person it is (null: unknown, or not confident)
 * @param best      the best candidate's identity whether or not it passed (null: empty watchlist)
 * @param score     the fused embedding's score against {@code best} (NaN without a candidate)
 * @param threshold the threshold the decision used (the watchlist's for this many fused faces)
 * @param embedding the fused unit embedding
 * @param age       quality-weighted age of the kept crops
 * @param shortfall how far {@code score} is from passing {@code threshold}, as a cosine similarity whatever the
 *                  metric (0 when it passes, NaN without a candidate): what decides whether more attempts could help
 */
public record Decision(Identity identity, Identity best, float score, float threshold, float[] embedding, float age,
                       float shortfall) {
    /** Without a known shortfall (NaN): a track treats it as within reach. */
    public Decision(Identity identity, Identity best, float score, float threshold, float[] embedding, float age) {
        this(identity, best, score, threshold, embedding, age, Float.NaN);
    }

    public boolean confident() {
        return identity != null;
    }

    /**
     * The cosine-similarity gap between a score and the threshold it must pass (unit embeddings: an L2 distance d
     * is the cosine 1 - d^2 / 2), so that one margin means the same under either metric.
     */
    public static float shortfall(Metric metric, float score, float threshold) {
        if (Float.isNaN(score)) {
            return Float.NaN;
        }
        float gap = metric == Metric.IP ? threshold - score : cosine(threshold) - cosine(score);
        return Math.max(0f, gap);
    }

    private static float cosine(float l2) {
        return 1f - l2 * l2 / 2f;
    }
}
