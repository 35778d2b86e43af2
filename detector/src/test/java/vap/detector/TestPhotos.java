package vap.detector;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import vap.testsupport.SamplePhotos;

import java.util.Random;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.line;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

/**
 * Test images: real photos with faces from the npm package @vladmandic/face-api (demo/sample1..6.jpg, loaded by
 * test-support's {@link SamplePhotos}), and face-free images drawn with OpenCV.
 */
public final class TestPhotos {
    /**
     * Faces MTCNN (defaults: RGB, 0.6/0.7/0.7) finds in each sample photo scaled to 800 px wide: every labelled face
     * (evaldetect/samples.csv of the photos module), checked by eye. Since the networks get RGB, sample 2's two
     * turned faces and sample 4's two rolled ones are found (BGR: 1 and 2). Sample 4's fifth is the one false face:
     * 35 px on a patterned shirt below the people (O-Net 0.90), only at this size (none at 1920 px).
     */
    public static final int[] SAMPLE_FACES = {3, 3, 3, 5, 5, 4};

    private TestPhotos() {
    }

    public static byte[] sampleBytes(int n) {
        return SamplePhotos.bytes(n);
    }

    /** Sample photo {@code n} (1..6), decoded and scaled to {@code width} pixels wide. */
    public static Mat sample(int n, int width) {
        return SamplePhotos.scaled(n, width);
    }

    /** Smooth colour noise: texture everywhere, no structure. */
    public static Mat noise(int width, int height, long seed) {
        byte[] px = new byte[width * height * 3];
        new Random(seed).nextBytes(px);
        Mat m = new Mat(height, width, CV_8UC3);
        m.data().put(px);
        try (Size k = new Size(5, 5)) {
            GaussianBlur(m, m, k, 1.5);
        }
        return m;
    }

    /** A diagonal colour gradient. */
    public static Mat gradient(int width, int height) {
        return SamplePhotos.gradient(width, height);
    }

    /** Text, lines, rectangles and circles on grey: edges and blobs of many sizes. */
    public static Mat shapesAndText(int width, int height, long seed) {
        Random rnd = new Random(seed);
        Mat m = new Mat(height, width, CV_8UC3, new Scalar(128, 128, 128, 0));
        for (int i = 0; i < 30; i++) {
            try (Scalar c = new Scalar(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256), 0);
                 Point a = new Point(rnd.nextInt(width), rnd.nextInt(height));
                 Point b = new Point(rnd.nextInt(width), rnd.nextInt(height))) {
                switch (i % 4) {
                    case 0 -> rectangle(m, a, b, c, 1 + rnd.nextInt(4), 8, 0);
                    case 1 -> line(m, a, b, c, 1 + rnd.nextInt(5), 8, 0);
                    case 2 -> circle(m, a, 5 + rnd.nextInt(60), c, -1, 8, 0);
                    default -> putText(m, "vap " + rnd.nextInt(1000) + " FRAME", a, FONT_HERSHEY_SIMPLEX,
                            0.5 + 2 * rnd.nextDouble(), c, 1 + rnd.nextInt(3), 8, false);
                }
            }
        }
        return m;
    }
}
