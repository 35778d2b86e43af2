package vap.recognizer;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Size;
import vap.vision.align.FaceAligner;
import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;
import vap.vision.image.ImageDecoder;
import vap.vision.image.JpegEncoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_imgproc.getRotationMatrix2D;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

/**
 * Real faces without ../shared and without the detector module: the demo photos of npm @vladmandic/face-api (on
 * the classpath through the models module) and where their faces are (sample-faces.csv, recorded from MTCNN),
 * cut into the crops the detector would publish. A "rendition" is the same photo turned and scaled, with its
 * landmarks moved along: other pixels of the same people.
 */
public final class SampleFaces {
    /** One face: the photo it is in, its index there, and the two crops (caller closes). */
    public record Face(String photo, int index, DetectedFace detection, Mat aligned, Mat ageCrop) {
    }

    private static final FaceAligner ALIGNER = new FaceAligner();
    private static final int RENDITION_JPEG_QUALITY = 50;

    private SampleFaces() {
    }

    /** The recorded faces of {@code photo} (e.g. "sample1.jpg"), in detection order. */
    public static List<DetectedFace> detections(String photo) {
        List<DetectedFace> out = new ArrayList<>();
        for (String line : resource("vap/recognizer/sample-faces.csv").lines().toList()) {
            if (line.isBlank() || line.startsWith("#") || !line.startsWith(photo + ",")) {
                continue;
            }
            String[] f = line.split(",");
            List<Landmark> landmarks = new ArrayList<>();
            for (int i = 6; i < 16; i += 2) {
                landmarks.add(new Landmark(Float.parseFloat(f[i]), Float.parseFloat(f[i + 1])));
            }
            out.add(new DetectedFace(Float.parseFloat(f[1]), Float.parseFloat(f[2]), Float.parseFloat(f[3]),
                    Float.parseFloat(f[4]), Float.parseFloat(f[5]), landmarks));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no recorded faces for " + photo);
        }
        return out;
    }

    /** The faces of {@code photo} as the photo is. */
    public static List<Face> faces(String photo) {
        return faces(photo, 0, 1.0);
    }

    /**
     * The faces of {@code photo} rotated by {@code degrees}, scaled by {@code scale} about its centre and JPEG-encoded
     * at quality 50: the crops come from other pixels (interpolated, smaller, lossy) than those of {@link #faces(String)}.
     */
    public static List<Face> faces(String photo, double degrees, double scale) {
        List<Face> out = new ArrayList<>();
        try (Mat image = ImageDecoder.decode(bytes(photo), photo); Mat turned = new Mat();
             Mat m = getRotationMatrix2D(new Point2f(image.cols() / 2f, image.rows() / 2f), degrees, scale);
             Size size = new Size(image.cols(), image.rows()); DoubleIndexer t = m.createIndexer()) {
            warpAffine(image, turned, m, size);
            if (degrees != 0 || scale != 1) {
                // and through a camera's lossy JPEG, as a frame would be
                try (Mat decoded = ImageDecoder.decode(JpegEncoder.encode(turned, RENDITION_JPEG_QUALITY), photo)) {
                    decoded.copyTo(turned);
                }
            }
            List<DetectedFace> found = detections(photo);
            for (int i = 0; i < found.size(); i++) {
                DetectedFace d = found.get(i);
                List<Landmark> moved = d.landmarks().stream().map(p -> move(t, p.x(), p.y())).toList();
                Landmark a = move(t, d.x1(), d.y1());
                Landmark b = move(t, d.x2(), d.y2());
                DetectedFace face = new DetectedFace(Math.min(a.x(), b.x()), Math.min(a.y(), b.y()),
                        Math.max(a.x(), b.x()), Math.max(a.y(), b.y()), d.score(), moved);
                out.add(new Face(photo, i, face, ALIGNER.alignedCrop(turned, face), ALIGNER.ageCrop(turned, face)));
            }
        }
        return out;
    }

    private static Landmark move(DoubleIndexer t, float x, float y) {
        return new Landmark((float) (t.get(0, 0) * x + t.get(0, 1) * y + t.get(0, 2)),
                (float) (t.get(1, 0) * x + t.get(1, 1) * y + t.get(1, 2)));
    }

    public static byte[] bytes(String photo) {
        return vap.testsupport.SamplePhotos.bytes(photo);
    }

    private static String resource(String name) {
        return new String(classpath(name), StandardCharsets.UTF_8);
    }

    private static byte[] classpath(String name) {
        try (InputStream in = SampleFaces.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the test classpath (the sample photos are "
                        + "unpacked from npm @vladmandic/face-api@1.7.15 by the models module's build)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
