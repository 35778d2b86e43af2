package vap.testsupport;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * The photos of npm @vladmandic/face-api@1.7.15 (demo/sample1..6.jpg), which the models module's build unpacks
 * onto the classpath of every module that has vap-models (its tests, at least), and a drawn gradient. Decoded
 * with OpenCV directly, not with vision's ImageDecoder: vision's own tests use these too, and test-support must
 * not depend on the module under test.
 */
public final class SamplePhotos {
    private SamplePhotos() {
    }

    /** The JPEG bytes of sample photo {@code n} (1..6). */
    public static byte[] bytes(int n) {
        return bytes("sample" + n + ".jpg");
    }

    /** The bytes of {@code photo} in the package ("sample1.jpg"). */
    public static byte[] bytes(String photo) {
        String name = "vap-samples/" + photo;
        try (InputStream in = SamplePhotos.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing: the models module's build unpacks it from npm "
                        + "@vladmandic/face-api@1.7.15 (models/pom.xml); the test needs vap-models on its classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sample photo {@code n} (1..6), decoded (BGR) and scaled to {@code width} pixels wide. */
    public static Mat scaled(int n, int width) {
        byte[] jpeg = bytes(n);
        try (BytePointer data = new BytePointer(jpeg); Mat encoded = new Mat(1, jpeg.length, CV_8UC1, data);
             Mat full = imdecode(encoded, IMREAD_COLOR)) {
            if (full.empty()) {
                throw new IllegalStateException("sample" + n + ".jpg does not decode");
            }
            Mat out = new Mat();
            int height = (int) Math.round((double) full.rows() * width / full.cols());
            try (Size size = new Size(width, height)) {
                resize(full, out, size, 0, 0, INTER_AREA);
            }
            return out;
        }
    }

    /** A diagonal colour gradient: an image without faces or edges. */
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
