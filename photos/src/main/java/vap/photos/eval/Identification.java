package vap.photos.eval;

import vap.recognizer.embed.Embeddings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * 1:N metrics (NIST's FRVT terms) of probes searched against enrolled templates. A mated probe (its person is
 * enrolled) is a hit at threshold t when its top candidate is its person with score at least t (FNIR counts the
 * rest, so a mated probe without a face is a miss); a non-mated probe raises a false alarm when its top score is
 * at least t (FPIR; a non-mated probe without a face never does).
 */
public final class Identification {
    /** How a person's enrolment photos become one score: their re-normalised mean, or the best of them. */
    public enum TemplateMode { MEAN, MAX }

    /** One enrolled person: the unit embeddings of their enrolment photos. */
    public record Template(String person, List<float[]> photos, float[] mean) {
        public Template(String person, List<float[]> photos) {
            this(person, List.copyOf(photos), Embeddings.meanOf(photos));
        }

        public float score(float[] probe, TemplateMode mode) {
            if (mode == TemplateMode.MEAN) {
                return (float) Embeddings.dot(mean, probe);
            }
            double best = Double.NEGATIVE_INFINITY;
            for (float[] p : photos) {
                best = Math.max(best, Embeddings.dot(p, probe));
            }
            return (float) best;
        }
    }

    /** One search: the probe's person, whether they are enrolled, its embedding (null: no face found). */
    public record Probe(String person, boolean mated, float[] embedding) {
    }

    /** A search's outcome: best candidate and score (NaN without a face), and the score of the probe's own template. */
    public record Search(Probe probe, String top, float topScore, float mateScore) {
        boolean hitAt(float t) {
            return probe.mated() && probe.person().equals(top) && topScore >= t;
        }

        boolean alarmAt(float t) {
            return !probe.mated() && !Float.isNaN(topScore) && topScore >= t;
        }
    }

    private Identification() {
    }

    /** Searches every probe against every template; {@code impostorScores} (if not null) receives every non-mate score. */
    public static List<Search> search(List<Template> gallery, List<Probe> probes, TemplateMode mode, FloatSink impostorScores) {
        return search(gallery, probes, mode, GalleryCohort.of(gallery, GalleryCohort.Norm.NONE), impostorScores);
    }

    /** As above, every score normalised by {@code cohort} (computed on this gallery) before ranking and thresholds. */
    public static List<Search> search(List<Template> gallery, List<Probe> probes, TemplateMode mode, GalleryCohort cohort,
                                      FloatSink impostorScores) {
        List<Search> out = new ArrayList<>(probes.size());
        for (Probe p : probes) {
            if (p.embedding() == null) {
                out.add(new Search(p, null, Float.NaN, Float.NaN));
                continue;
            }
            String top = null;
            float topScore = Float.NEGATIVE_INFINITY;
            float mate = Float.NaN;
            for (Template t : gallery) {
                float s = cohort.normalise(t.person(), t.score(p.embedding(), mode));
                if (s > topScore) {
                    topScore = s;
                    top = t.person();
                }
                if (t.person().equals(p.person())) {
                    mate = s;
                } else if (impostorScores != null) {
                    impostorScores.accept(s);
                }
            }
            out.add(new Search(p, top, topScore, mate));
        }
        return out;
    }

    /** Receives scores without boxing them. */
    public interface FloatSink {
        void accept(float score);
    }

    public static double fpir(List<Search> searches, float t) {
        long nonMated = searches.stream().filter(s -> !s.probe().mated()).count();
        return nonMated == 0 ? Double.NaN : (double) searches.stream().filter(s -> s.alarmAt(t)).count() / nonMated;
    }

    public static double fnir(List<Search> searches, float t) {
        long mated = searches.stream().filter(s -> s.probe().mated()).count();
        return mated == 0 ? Double.NaN : 1.0 - (double) searches.stream().filter(s -> s.hitAt(t)).count() / mated;
    }

    /** Mated searches whose top candidate is their own person, at any score. */
    public static double rank1(List<Search> searches) {
        return fnirComplement(searches, Float.NEGATIVE_INFINITY);
    }

    private static double fnirComplement(List<Search> searches, float t) {
        return 1.0 - fnir(searches, t);
    }

    /**
     * The lowest threshold at which at most {@code targetFpir} of the non-mated searches alarm: just above the
     * k-th highest non-mated top score, k = floor(target x non-mated searches).
     */
    public static float thresholdForFpir(List<Search> searches, double targetFpir) {
        float[] tops = searches.stream().filter(s -> !s.probe().mated() && !Float.isNaN(s.topScore()))
                .map(Search::topScore).collect(Verification.FloatList::new, Verification.FloatList::add,
                        Verification.FloatList::addAll).toArray();
        long nonMated = searches.stream().filter(s -> !s.probe().mated()).count();
        return aboveKth(tops, (int) Math.floor(targetFpir * nonMated + 1e-9));
    }

    /**
     * The threshold for a target FPIR at watchlist size N from single impostor comparisons (probe vs one
     * non-mated template): a stranger alarms when any of N independent comparisons passes, so each may pass with
     * probability 1 - (1 - FPIR)^(1/N); the threshold is that upper quantile of {@code impostorScores}.
     */
    public static float thresholdForWatchlist(float[] impostorScores, double targetFpir, int watchlistSize) {
        double perComparison = perComparisonFar(targetFpir, watchlistSize);
        float[] sorted = impostorScores.clone();
        Arrays.sort(sorted);
        return aboveKth(sorted, (int) Math.floor(perComparison * sorted.length + 1e-9));
    }

    public static double perComparisonFar(double targetFpir, int watchlistSize) {
        if (targetFpir <= 0 || targetFpir >= 1 || watchlistSize < 1) {
            throw new IllegalArgumentException("target FPIR must be in (0, 1) and the watchlist size at least 1");
        }
        return -Math.expm1(Math.log1p(-targetFpir) / watchlistSize);
    }

    /** Just above the k-th highest of ascending {@code sorted} (k from 0), so exactly k values are at or above it. */
    private static float aboveKth(float[] sorted, int k) {
        Arrays.sort(sorted);
        if (k >= sorted.length) {
            return Float.NEGATIVE_INFINITY;
        }
        return Math.nextUp(sorted[sorted.length - 1 - k]);
    }
}
