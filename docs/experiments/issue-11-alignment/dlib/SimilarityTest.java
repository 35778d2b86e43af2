package vap.vision.align;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The least-squares similarity recovers a known one from exact points. */
class SimilarityTest {
    @Test
    void recoversRotationScaleAndTranslation() {
        double angle = Math.toRadians(-20);
        double scale = 2.5;
        double a = scale * Math.cos(angle);
        double b = scale * Math.sin(angle);
        double[] from = {0, 0, 1, 0, 0.3, 0.8, -0.4, 0.5};
        double[] to = new double[from.length];
        for (int i = 0; i < from.length; i += 2) {
            to[i] = a * from[i] - b * from[i + 1] + 12;
            to[i + 1] = b * from[i] + a * from[i + 1] - 7;
        }
        Similarity s = Similarity.fit(from, to);
        assertEquals(a, s.a(), 1e-12);
        assertEquals(b, s.b(), 1e-12);
        assertEquals(12, s.tx(), 1e-12);
        assertEquals(-7, s.ty(), 1e-12);
        assertEquals(scale, s.scale(), 1e-12);
    }
}
