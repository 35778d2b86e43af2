package vap.recognizer.watchlist;

import vap.recognizer.index.Metric;

import java.util.Locale;

/**
 * The score a candidate must reach to match. Calibrated (the default): the threshold at which a stranger raises
 * an alert with probability {@code watchlist.target-fpir} against a watchlist of the current size, read off the
 * impostor score table for the probe's number of fused faces; it rises as the watchlist grows. Fixed: the
 * {@code watchlist.threshold} the operator set, whatever the size.
 */
public final class MatchThreshold {
    private final Metric metric;
    private final float fixed;
    private final double targetFpir;
    private final ImpostorScores impostors;

    public MatchThreshold(Metric metric, float fixed, double targetFpir, ImpostorScores impostors) {
        if (Float.isNaN(fixed) && impostors == null) {
            throw new IllegalArgumentException("a calibrated threshold needs an impostor score table");
        }
        this.metric = metric;
        this.fixed = fixed;
        this.targetFpir = targetFpir;
        this.impostors = impostors;
    }

    public static MatchThreshold of(WatchlistConfig c) {
        return new MatchThreshold(c.metric(), c.threshold(), c.targetFpir(),
                c.calibrated() ? (c.impostorScores() == null ? ImpostorScores.shipped(c.embedding())
                        : ImpostorScores.read(c.impostorScores())) : null);
    }

    public boolean calibrated() {
        return Float.isNaN(fixed);
    }

    /** The threshold in the metric's units (IP similarity or L2 distance) for this watchlist size and fused faces. */
    public float at(int watchlistSize, int faces) {
        if (!calibrated()) {
            return fixed;
        }
        float ip = impostors.scoreAt(perComparison(targetFpir, Math.max(1, watchlistSize)), faces);
        return metric == Metric.IP ? ip : (float) Math.sqrt(Math.max(0, 2 - 2 * ip)); // unit vectors: d^2 = 2 - 2 cos
    }

    /** Each of N comparisons may pass with this probability for a stranger to alarm with probability {@code fpir}. */
    public static double perComparison(double fpir, int watchlistSize) {
        return -Math.expm1(Math.log1p(-fpir) / watchlistSize);
    }

    public String describe(int watchlistSize) {
        return calibrated()
                ? String.format(Locale.ROOT, "calibrated for FPIR %.3g at %d identities: %s %.4f (1 face)", targetFpir,
                watchlistSize, metric, at(watchlistSize, 1))
                : String.format(Locale.ROOT, "fixed %s %.4f", metric, fixed);
    }
}
