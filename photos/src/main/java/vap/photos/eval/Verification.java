package vap.photos.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Verification metrics of scored pairs (higher score = more alike). A pair whose score is NaN (a photo without a
 * face) is always decided "different": it is a true negative for an impostor pair and a false negative for a
 * genuine one, as LFW's unrestricted protocol counts it when the pipeline cannot embed a photo.
 */
public final class Verification {
    /** One scored pair. */
    public record Scored(float score, boolean same, int fold) {
        boolean scored() {
            return !Float.isNaN(score);
        }
    }

    /** 10-fold result: mean and standard deviation of the held-out folds' accuracy, and each fold's threshold. */
    public record Folds(double meanAccuracy, double stdAccuracy, double[] accuracies, float[] thresholds) {
    }

    /** TAR at the lowest threshold whose FAR is at most the target; {@code impostorsAbove} of {@code impostors}. */
    public record RocPoint(double targetFar, float threshold, double far, double tar, int impostorsAbove, int impostors) {
    }

    private Verification() {
    }

    /** Accuracy of the decision "same when score >= threshold". */
    public static double accuracy(List<Scored> pairs, float threshold) {
        if (pairs.isEmpty()) {
            return Double.NaN;
        }
        int right = 0;
        for (Scored p : pairs) {
            boolean saysSame = p.scored() && p.score() >= threshold;
            right += saysSame == p.same() ? 1 : 0;
        }
        return (double) right / pairs.size();
    }

    /** The threshold with the best accuracy on {@code pairs} (midpoints between sorted scores; ties: the lowest). */
    public static float bestThreshold(List<Scored> pairs) {
        float[] scores = pairs.stream().filter(Scored::scored).map(Scored::score).sorted()
                .collect(() -> new FloatList(), FloatList::add, FloatList::addAll).toArray();
        if (scores.length == 0) {
            return Float.POSITIVE_INFINITY;
        }
        List<Float> candidates = new ArrayList<>();
        candidates.add(Math.nextDown(scores[0]));
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] != scores[i - 1]) {
                candidates.add((scores[i] + scores[i - 1]) / 2);
            }
        }
        candidates.add(Math.nextUp(scores[scores.length - 1]));
        float best = candidates.get(0);
        double bestAccuracy = -1;
        for (float t : candidates) {
            double a = accuracy(pairs, t);
            if (a > bestAccuracy) {
                bestAccuracy = a;
                best = t;
            }
        }
        return best;
    }

    /** For each fold: the best threshold on the other folds, the accuracy on this one. */
    public static Folds tenFold(List<Scored> pairs, int folds) {
        double[] acc = new double[folds];
        float[] thr = new float[folds];
        for (int f = 0; f < folds; f++) {
            int held = f;
            List<Scored> train = pairs.stream().filter(p -> p.fold() != held).toList();
            List<Scored> test = pairs.stream().filter(p -> p.fold() == held).toList();
            thr[f] = bestThreshold(train);
            acc[f] = accuracy(test, thr[f]);
        }
        double mean = Arrays.stream(acc).average().orElse(Double.NaN);
        double var = Arrays.stream(acc).map(a -> (a - mean) * (a - mean)).sum() / Math.max(1, folds - 1);
        return new Folds(mean, Math.sqrt(var), acc, thr);
    }

    /**
     * TAR at a target FAR: the threshold is just above the k-th highest impostor score, k = floor(FAR x impostors),
     * so at most that many impostors pass; unembedded impostors never pass, unembedded genuine pairs never do.
     */
    public static RocPoint atFar(List<Scored> pairs, double targetFar) {
        float[] impostor = pairs.stream().filter(p -> !p.same() && p.scored()).map(Scored::score)
                .collect(FloatList::new, FloatList::add, FloatList::addAll).toArray();
        Arrays.sort(impostor);
        int impostors = (int) pairs.stream().filter(p -> !p.same()).count();
        int allowed = (int) Math.floor(targetFar * impostors + 1e-9);
        float threshold = impostor.length <= allowed ? Float.NEGATIVE_INFINITY
                : Math.nextUp(impostor[impostor.length - 1 - allowed]);
        return point(pairs, targetFar, threshold);
    }

    /** FAR and TAR at a given threshold. */
    public static RocPoint point(List<Scored> pairs, double targetFar, float threshold) {
        int impostors = 0;
        int above = 0;
        int genuine = 0;
        int accepted = 0;
        for (Scored p : pairs) {
            boolean passes = p.scored() && p.score() >= threshold;
            if (p.same()) {
                genuine++;
                accepted += passes ? 1 : 0;
            } else {
                impostors++;
                above += passes ? 1 : 0;
            }
        }
        return new RocPoint(targetFar, threshold, impostors == 0 ? Double.NaN : (double) above / impostors,
                genuine == 0 ? Double.NaN : (double) accepted / genuine, above, impostors);
    }

    /** A growable float array, so scores are not boxed twice. */
    public static final class FloatList {
        private float[] a = new float[64];
        private int n;

        public void add(float x) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = x;
        }

        public void addAll(FloatList o) {
            for (int i = 0; i < o.n; i++) {
                add(o.a[i]);
            }
        }

        public float[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
