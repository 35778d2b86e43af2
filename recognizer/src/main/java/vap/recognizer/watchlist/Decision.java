package vap.recognizer.watchlist;

/**
 * The watchlist's verdict on one piece of evidence (a crop's embedding, or a track's fused one): the best
 * candidate (null when the watchlist is empty), its score, the threshold it was held to (for this watchlist
 * size and number of fused faces), and whether it matched.
 */
public record Decision(Candidate best, float score, float threshold, int faces, boolean matched) {
}
