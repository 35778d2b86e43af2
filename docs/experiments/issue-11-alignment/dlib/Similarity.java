package vap.vision.align;

/**
 * A similarity transform x' = a x - b y + tx, y' = b x + a y + ty (rotation and uniform scale without reflection)
 * and its least-squares fit between two point sets (closed form for 2-D; dlib's Umeyama fit gives the same when
 * no reflection fits better). Points are interleaved x0, y0, x1, y1, ...
 */
record Similarity(double a, double b, double tx, double ty) {
    static Similarity fit(float[] from, float[] to) {
        return fit(toDouble(from), toDouble(to));
    }

    static Similarity fit(double[] from, double[] to) {
        if (from.length != to.length || from.length < 4 || from.length % 2 != 0) {
            throw new IllegalArgumentException("need two sets of the same >= 2 points, got " + from.length + ", " + to.length);
        }
        int n = from.length / 2;
        double fx = 0;
        double fy = 0;
        double gx = 0;
        double gy = 0;
        for (int i = 0; i < n; i++) {
            fx += from[2 * i] / n;
            fy += from[2 * i + 1] / n;
            gx += to[2 * i] / n;
            gy += to[2 * i + 1] / n;
        }
        double norm = 0;
        double a = 0;
        double b = 0;
        for (int i = 0; i < n; i++) {
            double x = from[2 * i] - fx;
            double y = from[2 * i + 1] - fy;
            double u = to[2 * i] - gx;
            double v = to[2 * i + 1] - gy;
            norm += x * x + y * y;
            a += x * u + y * v;
            b += x * v - y * u;
        }
        a /= norm;
        b /= norm;
        return new Similarity(a, b, gx - (a * fx - b * fy), gy - (b * fx + a * fy));
    }

    /** The uniform scale. */
    double scale() {
        return Math.hypot(a, b);
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
