package vap.detector.mtcnn;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link AreaResize} gives exactly the pixels of OpenCV's {@code INTER_AREA} wherever it is used. */
class AreaResizeTest {

    @Test
    void sameBytesAsOpenCvOnEveryPyramidAndLargeFaceLevel() {
        Random random = new Random(14);
        int checked = 0;
        int[][] frames = {{640, 480}, {1280, 720}, {960, 540}, {480, 640}, {333, 251}, {150, 150}, {1920, 1080}};
        for (int[] frame : frames) {
            byte[] image = texturedImage(frame[0], frame[1], random);
            for (int minFace : new int[] {20, 40, 80}) {
                byte[] previous = image;
                int pw = frame[0];
                int ph = frame[1];
                for (double scale : PyramidStage.pyramidScales(frame[0], frame[1], minFace, 0.709)) {
                    int w = (int) Math.ceil(frame[0] * scale);
                    int h = (int) Math.ceil(frame[1] * scale);
                    byte[] level = openCv(previous, pw, ph, w, h);
                    if (AreaResize.handles(pw, ph, w, h)) {
                        assertShrinksLikeOpenCv(previous, pw, ph, w, h, level);
                        checked++;
                    }
                    previous = level;
                    pw = w;
                    ph = h;
                }
                for (LargeFaceLevels.Level level : LargeFaceLevels.levels(frame[0], frame[1], minFace, 0.709)) {
                    int w = level.width() - 2 * level.border();
                    int h = level.height() - 2 * level.border();
                    if (AreaResize.handles(frame[0], frame[1], w, h)) {
                        assertShrinksLikeOpenCv(image, frame[0], frame[1], w, h, openCv(image, frame[0], frame[1], w, h));
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 150, "only " + checked + " shrinks compared");
    }

    @Test
    void sameBytesAsOpenCvOnRandomSizesAndExtremeValues() {
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            int sw = 1 + random.nextInt(400);
            int sh = 1 + random.nextInt(300);
            int dw = 1 + random.nextInt(sw);
            int dh = 1 + random.nextInt(sh);
            byte[] image = i % 3 == 0 ? saturatedImage(sw, sh, random) : texturedImage(sw, sh, random);
            if (AreaResize.handles(sw, sh, dw, dh)) {
                assertShrinksLikeOpenCv(image, sw, sh, dw, dh, openCv(image, sw, sh, dw, dh));
            }
        }
    }

    @Test
    void leavesIntegerFactorsAndEnlargingToOpenCv() {
        assertFalse(AreaResize.handles(640, 480, 16, 12));
        assertFalse(AreaResize.handles(640, 480, 320, 240));
        assertFalse(AreaResize.handles(640, 480, 640, 480));
        assertFalse(AreaResize.handles(100, 100, 150, 80));
        assertTrue(AreaResize.handles(640, 480, 192, 144));
        assertTrue(AreaResize.handles(640, 480, 320, 241));
    }

    private static void assertShrinksLikeOpenCv(byte[] src, int sw, int sh, int dw, int dh, byte[] expected) {
        byte[] actual = new byte[dw * dh * 3];
        AreaResize.shrink(src, sw, sh, actual, dw, dh);
        assertEquals(expected.length, actual.length);
        assertArrayEquals(expected, actual, sw + "x" + sh + " -> " + dw + "x" + dh);
    }

    private static byte[] openCv(byte[] src, int sw, int sh, int dw, int dh) {
        try (Mat in = new Mat(sh, sw, CV_8UC3); Mat out = new Mat(); Size size = new Size(dw, dh)) {
            in.data().put(src, 0, src.length);
            resize(in, out, size, 0, 0, INTER_AREA);
            byte[] bytes = new byte[dw * dh * 3];
            out.data().get(bytes, 0, bytes.length);
            return bytes;
        }
    }

    /** Smooth gradients plus noise: sums that land near .5 as often as real photos do. */
    private static byte[] texturedImage(int w, int h, Random random) {
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    double v = 128 + 100 * Math.sin(x * 0.05 * (c + 1) + y * 0.031) + random.nextGaussian() * 20;
                    px[(y * w + x) * 3 + c] = (byte) Math.max(0, Math.min(255, (int) v));
                }
            }
        }
        return px;
    }

    /** Only 0 and 255: the rounding and clamping at both ends. */
    private static byte[] saturatedImage(int w, int h, Random random) {
        byte[] px = new byte[w * h * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (random.nextInt(4) == 0 ? 0 : 255);
        }
        return px;
    }
}
