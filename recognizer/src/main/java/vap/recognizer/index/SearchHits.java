package vap.recognizer.index;

/**
 * The top-k of each query, closest first: {@code ids[q][r]} and {@code scores[q][r]} (user-facing scores,
 * see {@link Metric#score}). Slots beyond what the index holds have id -1.
 */
public record SearchHits(Metric metric, long[][] ids, float[][] scores) {
    public static final long NO_ID = -1L;

    public int queries() {
        return ids.length;
    }
}
