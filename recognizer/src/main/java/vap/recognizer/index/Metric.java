package vap.recognizer.index;

/**
 * How closeness is scored. IP: inner product of unit embeddings (cosine similarity, higher is closer).
 * L2: Euclidean distance (lower is closer); FAISS reports it squared, {@link #score} takes the root so that
 * thresholds read like dlib's "distance below 0.6".
 */
public enum Metric {
    IP(0),
    L2(1);

    private final int faissCode;

    Metric(int faissCode) {
        this.faissCode = faissCode;
    }

    public int faissCode() {
        return faissCode;
    }

    public static Metric ofFaissCode(int code) {
        return code == 0 ? IP : L2;
    }

    public static Metric parse(String s) {
        return switch (s.trim().toUpperCase()) {
            case "IP", "INNER_PRODUCT", "COSINE" -> IP;
            case "L2", "EUCLIDEAN" -> L2;
            default -> throw new IllegalArgumentException("unknown metric '" + s + "': use IP or L2");
        };
    }

    /** The user-facing score of a raw FAISS distance. */
    public float score(float faissDistance) {
        return this == IP ? faissDistance : (float) Math.sqrt(Math.max(0f, faissDistance));
    }

    /** True when score {@code a} is closer than {@code b}. */
    public boolean closer(float a, float b) {
        return this == IP ? a > b : a < b;
    }

    /** True when a candidate with {@code score} passes {@code threshold}. */
    public boolean passes(float score, float threshold) {
        return this == IP ? score >= threshold : score <= threshold;
    }

    /** The score of a slot with no candidate: worse than any real one. */
    public float worst() {
        return this == IP ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
    }
}
