package vap.photos.eval;

import vap.recognizer.embed.Embeddings;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Score normalisation against the gallery's own impostor distribution, computed once at enrolment: each enrolled
 * person's template is scored against every other template, and a probe's raw score s against that person
 * becomes (s - mean) / spread of those scores (Z-norm), or s - the mean of their {@link #TOP} highest (TOP: how
 * crowded the person's neighbourhood is, without the spread). A person who resembles many others then needs a
 * higher raw score to reach the same normalised one. No data outside the gallery is needed.
 */
public final class GalleryCohort {
    /** How a raw score is normalised. */
    public enum Norm { NONE, Z, TOP }

    /** TOP: the number of a template's highest similarities to the rest of the gallery that are averaged. */
    public static final int TOP = 10;

    private record Stats(float centre, float spread) {
    }

    private final Norm norm;
    private final Map<String, Stats> byPerson = new HashMap<>();

    private GalleryCohort(Norm norm) {
        this.norm = norm;
    }

    /** The per-person statistics of {@code gallery} (mean templates; at least 2 people unless {@code norm} is NONE). */
    public static GalleryCohort of(List<Identification.Template> gallery, Norm norm) {
        GalleryCohort c = new GalleryCohort(norm);
        if (norm == Norm.NONE) {
            return c;
        }
        if (gallery.size() < 2) {
            throw new IllegalArgumentException("cohort normalisation needs at least 2 enrolled people, got " + gallery.size());
        }
        for (Identification.Template t : gallery) {
            float[] others = new float[gallery.size() - 1];
            int i = 0;
            for (Identification.Template o : gallery) {
                if (o != t) {
                    others[i++] = (float) Embeddings.dot(t.mean(), o.mean());
                }
            }
            c.byPerson.put(t.person(), norm == Norm.Z ? zStats(others) : topStats(others));
        }
        return c;
    }

    private static Stats zStats(float[] xs) {
        double sum = 0;
        for (float x : xs) {
            sum += x;
        }
        double mean = sum / xs.length;
        double ss = 0;
        for (float x : xs) {
            ss += (x - mean) * (x - mean);
        }
        double sd = Math.sqrt(ss / Math.max(1, xs.length - 1));
        return new Stats((float) mean, (float) Math.max(sd, 1e-6));
    }

    private static Stats topStats(float[] xs) {
        float[] sorted = xs.clone();
        Arrays.sort(sorted);
        int k = Math.min(TOP, sorted.length);
        double sum = 0;
        for (int i = sorted.length - k; i < sorted.length; i++) {
            sum += sorted[i];
        }
        return new Stats((float) (sum / k), 1f);
    }

    public Norm norm() {
        return norm;
    }

    /** {@code raw} against {@code person}, normalised; unchanged under NONE. */
    public float normalise(String person, float raw) {
        if (norm == Norm.NONE) {
            return raw;
        }
        Stats s = byPerson.get(person);
        if (s == null) {
            throw new IllegalArgumentException(person + " is not in the gallery the cohort was computed on");
        }
        return (raw - s.centre()) / s.spread();
    }
}
