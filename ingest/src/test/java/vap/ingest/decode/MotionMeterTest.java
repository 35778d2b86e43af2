package vap.ingest.decode;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.randn;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The motion measure on made 640 x 480 pictures: a static scene, sensor noise, a block that moves. */
class MotionMeterTest {
    private static final int W = 640;
    private static final int H = 480;
    /** What the detector's default threshold needs (detector README, detector.motion.threshold). */
    private static final float DETECTOR_THRESHOLD = 0.002f;

    /** A room-like picture: coloured boxes and discs on a grey wall, the same for the same seed. */
    private static Mat scene(long seed) {
        Random r = new Random(seed);
        Mat m = new Mat(H, W, CV_8UC3, new Scalar(120, 125, 130, 0));
        for (int i = 0; i < 40; i++) {
            Scalar c = new Scalar(r.nextInt(256), r.nextInt(256), r.nextInt(256), 0);
            int x = r.nextInt(W);
            int y = r.nextInt(H);
            if (i % 2 == 0) {
                rectangle(m, new Rect(x, y, 20 + r.nextInt(120), 20 + r.nextInt(120)), c, FILLED, 8, 0);
            } else {
                circle(m, new Point(x, y), 10 + r.nextInt(50), c, FILLED, 8, 0);
            }
        }
        return m;
    }

    /** The scene with a face-sized dark block (a person's head) at x. */
    private static Mat withBlock(Mat scene, int x) {
        Mat m = scene.clone();
        rectangle(m, new Rect(x, 200, 48, 60), new Scalar(40, 60, 90, 0), FILLED, 8, 0);
        return m;
    }

    private static Mat noisy(Mat scene, double sigma, long seed) {
        org.bytedeco.opencv.global.opencv_core.setRNGSeed((int) seed);
        Mat noise = new Mat(H, W, org.bytedeco.opencv.global.opencv_core.CV_16SC3);
        randn(noise, new Mat(new double[]{0, 0, 0}), new Mat(new double[]{sigma, sigma, sigma}));
        Mat out = new Mat();
        add(scene, noise, out, new Mat(), CV_8UC3); // saturates at 0 and 255 like a sensor
        return out;
    }

    @Test
    void theFirstPictureIsAllNewAndAResetForgetsThePast() {
        Mat s = scene(1);
        try (MotionMeter m = new MotionMeter(10)) {
            assertEquals(MotionMeter.UNKNOWN_PAST, m.measure(s));
            assertEquals(0f, m.measure(s));
            m.reset();
            assertEquals(MotionMeter.UNKNOWN_PAST, m.measure(s));
        }
    }

    @Test
    void aStaticSceneMeasuresNothing() {
        Mat s = scene(2);
        try (MotionMeter m = new MotionMeter(10)) {
            m.measure(s);
            for (int i = 0; i < 5; i++) {
                assertEquals(0f, m.measure(s.clone()));
            }
        }
    }

    @Test
    void sensorNoiseStaysBelowTheDetectorThreshold() {
        Mat s = scene(3);
        try (MotionMeter m = new MotionMeter(10)) {
            m.measure(noisy(s, 12, 1));
            float worst = 0;
            for (int i = 2; i < 12; i++) {
                worst = Math.max(worst, m.measure(noisy(s, 12, i)));
            }
            assertTrue(worst < DETECTOR_THRESHOLD / 4, "noise of sigma 12 measured " + worst);
        }
        // The same noise, compared pixel by pixel instead of per cell, would change most of the picture: the
        // averaging is what keeps it out.
        Mat a = noisy(s, 12, 1);
        Mat b = noisy(s, 12, 2);
        byte[] pa = new byte[W * H * 3];
        byte[] pb = new byte[W * H * 3];
        a.data().get(pa);
        b.data().get(pb);
        assertTrue(MotionMeter.changedShare(pa, pb, 10) > 0.3);
    }

    @Test
    void aMovingBlockIsSeenAndWhereItStopsIsNot() {
        Mat s = scene(4);
        try (MotionMeter m = new MotionMeter(10)) {
            m.measure(withBlock(s, 100));
            float moved = m.measure(withBlock(s, 140)); // 40 px to the right, within 1/5 s at walking pace
            assertTrue(moved > DETECTOR_THRESHOLD, "a 48x60 block moving 40 px measured " + moved);
            // At most the cells of the block's old and new place: 2 x (6 x 8) cells of 64 x 48 (plus the cut edges).
            assertTrue(moved < 2 * 7 * 9 / (float) (MotionMeter.WIDTH * MotionMeter.HEIGHT), "measured " + moved);
            assertEquals(0f, m.measure(withBlock(s, 140)), "the block stopped");
        }
    }

    @Test
    void aMovingBlockInNoiseStillStandsOut() {
        Mat s = scene(5);
        try (MotionMeter m = new MotionMeter(10)) {
            m.measure(noisy(withBlock(s, 300), 8, 1));
            float noiseOnly = m.measure(noisy(withBlock(s, 300), 8, 2));
            float moved = m.measure(noisy(withBlock(s, 340), 8, 3));
            assertTrue(noiseOnly < DETECTOR_THRESHOLD && moved > DETECTOR_THRESHOLD, noiseOnly + " / " + moved);
        }
    }

    @Test
    void refusesAThresholdOutsideTheGreyRange() {
        assertThrows(IllegalArgumentException.class, () -> new MotionMeter(0));
        assertThrows(IllegalArgumentException.class, () -> new MotionMeter(256));
    }
}
