package vap.recognizer.watchlist;

import vap.recognizer.index.Metric;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Negative feedback per identity: embeddings of faces an analyst said are NOT that person. A candidate's threshold
 * adapts to the face: max(threshold, highest similarity between the face and any negative of that identity +
 * {@link #MARGIN}), so the same stranger (or a face very close to it) stops matching while faces clearly closer to
 * the person than to the stranger still do. Not thread-safe: the {@link Watchlist} guards it with its lock.
 */
final class Negatives {
    /** How much closer to the person than to its nearest negative a face must be to still match (cosine). */
    static final float MARGIN = 0.02f;

    private final Map<String, Map<String, float[]>> byIdentity = new HashMap<>();
    private final Map<String, String> identityOfFeedback = new HashMap<>();

    /** Adds (or replaces) feedback {@code feedbackId}: {@code embedding} (unit, 128-d) is not {@code identityId}. */
    void put(String feedbackId, String identityId, float[] embedding) {
        remove(feedbackId);
        byIdentity.computeIfAbsent(identityId, k -> new LinkedHashMap<>()).put(feedbackId, embedding.clone());
        identityOfFeedback.put(feedbackId, identityId);
    }

    /** Withdraws feedback {@code feedbackId} (a tombstone); false when it was not held. */
    boolean remove(String feedbackId) {
        String identity = identityOfFeedback.remove(feedbackId);
        if (identity == null) {
            return false;
        }
        Map<String, float[]> of = byIdentity.get(identity);
        of.remove(feedbackId);
        if (of.isEmpty()) {
            byIdentity.remove(identity);
        }
        return true;
    }

    int size() {
        return identityOfFeedback.size();
    }

    int of(String identityId) {
        Map<String, float[]> of = byIdentity.get(identityId);
        return of == null ? 0 : of.size();
    }

    /** The threshold {@code identityId} holds {@code face} (a unit embedding) to, in the metric's units. */
    float threshold(String identityId, float[] face, float threshold, Metric metric) {
        Map<String, float[]> of = byIdentity.get(identityId);
        if (of == null) {
            return threshold;
        }
        float nearest = -1;
        for (float[] negative : of.values()) {
            nearest = Math.max(nearest, dot(face, negative));
        }
        return adapt(threshold, nearest, metric);
    }

    /** The threshold raised above {@code nearestNegative} (cosine) + margin; for L2 the distance bound tightens. */
    static float adapt(float threshold, float nearestNegative, Metric metric) {
        float ip = Math.min(1f, nearestNegative + MARGIN);
        if (metric == Metric.IP) {
            return Math.max(threshold, ip);
        }
        float distance = (float) Math.sqrt(Math.max(0, 2 - 2 * ip)); // unit vectors: d^2 = 2 - 2 cos
        return Math.min(threshold, distance);
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
