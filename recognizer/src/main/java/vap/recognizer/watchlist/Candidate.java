package vap.recognizer.watchlist;

/**
 * An identity close to a face, with its score under the watchlist's metric, the threshold in force when it was
 * found (it depends on the watchlist's size when calibrated), and whether the score passes it.
 */
public record Candidate(Identity identity, float score, boolean passes, float threshold) {
}
