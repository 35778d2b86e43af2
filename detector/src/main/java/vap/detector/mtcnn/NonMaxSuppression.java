package vap.detector.mtcnn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy non-maximum suppression over candidates: keep the best-scoring box, drop every box overlapping it by
 * more than the threshold, repeat. Areas are counted inclusively ((w + 1) * (h + 1)) as in the reference.
 */
final class NonMaxSuppression {

    enum Overlap {
        /** Intersection over union. */
        UNION,
        /** Intersection over the smaller box: also removes a small box inside a larger one (O-Net stage). */
        MIN
    }

    private NonMaxSuppression() {
    }

    /** The overlap of two boxes, areas counted inclusively as in {@link #select}. */
    static float overlap(Candidate a, Candidate b, Overlap overlap) {
        float iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) + 1;
        float ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) + 1;
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        float inter = iw * ih;
        float areaA = (a.x2 - a.x1 + 1) * (a.y2 - a.y1 + 1);
        float areaB = (b.x2 - b.x1 + 1) * (b.y2 - b.y1 + 1);
        return overlap == Overlap.UNION ? inter / (areaA + areaB - inter) : inter / Math.min(areaA, areaB);
    }

    /** The kept candidates, best score first. */
    static List<Candidate> select(List<Candidate> candidates, float threshold, Overlap overlap) {
        int n = candidates.size();
        if (n <= 1) {
            return new ArrayList<>(candidates);
        }
        List<Candidate> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingDouble((Candidate c) -> c.score).reversed());
        float[] area = new float[n];
        for (int i = 0; i < n; i++) {
            Candidate c = sorted.get(i);
            area[i] = (c.x2 - c.x1 + 1) * (c.y2 - c.y1 + 1);
        }
        boolean[] removed = new boolean[n];
        List<Candidate> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (removed[i]) {
                continue;
            }
            Candidate a = sorted.get(i);
            kept.add(a);
            for (int j = i + 1; j < n; j++) {
                if (removed[j]) {
                    continue;
                }
                Candidate b = sorted.get(j);
                float iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) + 1;
                float ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) + 1;
                if (iw <= 0 || ih <= 0) {
                    continue;
                }
                float inter = iw * ih;
                float ratio = overlap == Overlap.UNION
                        ? inter / (area[i] + area[j] - inter)
                        : inter / Math.min(area[i], area[j]);
                if (ratio > threshold) {
                    removed[j] = true;
                }
            }
        }
        return kept;
    }
}
