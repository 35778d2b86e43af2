package vap.recognizer.track;

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
 */
public record Decision(Identity identity, Identity best, float score, float threshold, float[] embedding, float age) {
    public boolean confident() {
        return identity != null;
    }
}
