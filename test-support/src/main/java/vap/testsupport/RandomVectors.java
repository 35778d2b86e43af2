package vap.testsupport;

import java.util.Random;

/** Random unit vectors, seeded: the benchmark's data, and the index tests'. */
public final class RandomVectors {
    private RandomVectors() {
    }

    public static float[] unit(int n, int d, long seed) {
        Random r = new Random(seed);
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                float x = (float) r.nextGaussian();
                out[i * d + j] = x;
                norm += x * x;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int j = 0; j < d; j++) {
                out[i * d + j] *= inv;
            }
        }
        return out;
    }

    public static long[] ids(int n, long first) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = first + i;
        }
        return ids;
    }
}
