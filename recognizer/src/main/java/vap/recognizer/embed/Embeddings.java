package vap.recognizer.embed;

import java.util.List;

/** Small vector arithmetic on embeddings (float[] of 128), kept in one place. */
public final class Embeddings {
    private Embeddings() {
    }

    /** A unit-length copy; a zero vector cannot be normalised and is refused. */
    public static float[] normalised(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (sum == 0) {
            throw new IllegalArgumentException("cannot normalise a zero embedding");
        }
        float inv = (float) (1.0 / Math.sqrt(sum));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * inv;
        }
        return out;
    }

    /** The re-normalised mean of several unit embeddings of one person. */
    public static float[] meanOf(List<float[]> vectors) {
        if (vectors.isEmpty()) {
            throw new IllegalArgumentException("no embeddings to average");
        }
        float[] mean = new float[vectors.get(0).length];
        for (float[] v : vectors) {
            if (v.length != mean.length) {
                throw new IllegalArgumentException("embeddings of different lengths: " + v.length + " and " + mean.length);
            }
            for (int i = 0; i < v.length; i++) {
                mean[i] += v[i];
            }
        }
        return normalised(mean);
    }

    public static double euclidean(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    public static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
