package vap.recognizer.watchlist;

/** An identity close to a face, with its score under the watchlist's metric, and whether it passes the threshold. */
public record Candidate(Identity identity, float score, boolean passes) {
}
