package vap.recognizer.track;

import java.util.List;

/** The track's embedding: the quality-weighted mean of its kept unit embeddings, re-normalised to unit length. */
public final class Fusion {
    private Fusion() {
    }

    public static float[] fuse(List<Evidence> kept) {
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("nothing to fuse");
        }
        float[] sum = new float[kept.get(0).embedding().length];
        for (Evidence e : kept) {
            float w = weight(e);
            float[] x = e.embedding();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += w * x[i];
            }
        }
        double norm = 0;
        for (float v : sum) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        if (norm == 0) {
            return kept.get(0).embedding().clone(); // opposite vectors cancelled out: keep the best single one
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] = (float) (sum[i] / norm);
        }
        return sum;
    }

    /** Quality-weighted mean of the kept crops' ages. */
    public static float age(List<Evidence> kept) {
        double total = 0;
        double weights = 0;
        for (Evidence e : kept) {
            total += weight(e) * e.age();
            weights += weight(e);
        }
        return (float) (total / weights);
    }

    // A zero quality would erase a face that was embedded all the same (a quality-less crop counts as a little).
    private static float weight(Evidence e) {
        return Math.max(e.quality(), 1e-3f);
    }
}
