package vap.vision;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import vap.vision.image.ImageDecoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Test images: the photos of npm @vladmandic/face-api@1.7.15 (demo/sample1..6.jpg, unpacked by the models
 * module's build, on the test classpath) and images drawn here.
 */
public final class TestImages {
    private TestImages() {
    }

    public static byte[] sampleBytes(int n) {
        String name = "vap-samples/sample" + n + ".jpg";
        try (InputStream in = TestImages.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing: the models module's build unpacks it from npm "
                        + "@vladmandic/face-api@1.7.15");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sample photo {@code n} (1..6), decoded and scaled to {@code width} pixels wide. */
    public static Mat sample(int n, int width) {
        try (Mat full = ImageDecoder.decode(sampleBytes(n), "sample" + n + ".jpg")) {
            Mat out = new Mat();
            int height = (int) Math.round((double) full.rows() * width / full.cols());
            try (Size size = new Size(width, height)) {
                resize(full, out, size, 0, 0, INTER_AREA);
            }
            return out;
        }
    }

    /** A diagonal colour gradient. */
    public static Mat gradient(int width, int height) {
        Mat m = new Mat(height, width, CV_8UC3);
        byte[] px = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                px[i] = (byte) (255 * x / width);
                px[i + 1] = (byte) (255 * y / height);
                px[i + 2] = (byte) (255 * (x + y) / (width + height));
            }
        }
        m.data().put(px);
        return m;
    }
}
