package vap.photos;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import vap.vision.face.DetectedFace;
import vap.vision.image.ImageDecoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Test photos without ../shared: the demo photos of npm @vladmandic/face-api@1.7.15 (on the classpath through the
 * models module; sample1.jpg is a group photo of three people, samples 2 and 5 show others), written as files, and
 * one-person portraits cut from a group photo around the faces the detector finds.
 */
public final class SamplePhotos {
    private SamplePhotos() {
    }

    public static byte[] bytes(String photo) {
        return vap.testsupport.SamplePhotos.bytes(photo);
    }

    /** {@code photo} scaled to {@code width} pixels wide (grey in all three channels if asked), as a PNG at {@code file}. */
    public static Path write(String photo, int width, boolean grey, Path file) {
        try (Mat full = ImageDecoder.decode(bytes(photo), photo); Mat scaled = new Mat()) {
            int height = (int) Math.round((double) full.rows() * width / full.cols());
            try (Size size = new Size(width, height)) {
                resize(full, scaled, size, 0, 0, INTER_AREA);
            }
            if (grey) {
                try (Mat g = new Mat()) {
                    cvtColor(scaled, g, COLOR_BGR2GRAY);
                    cvtColor(g, scaled, COLOR_GRAY2BGR);
                }
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            imwrite(file.toString(), scaled);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One folder per face of {@code group} under {@code root} (p0, p1, ... in detection order), each holding the
     * face's box with a margin of its size on every side; returns each person's box centre in {@code group}.
     */
    public static Map<String, float[]> portraits(Path group, PhotoFaces photos, Path root) {
        Map<String, float[]> centres = new LinkedHashMap<>();
        try (Mat image = ImageDecoder.decode(group)) {
            List<PhotoFaces.Face> faces = photos.faces(image);
            try {
                for (int i = 0; i < faces.size(); i++) {
                    DetectedFace d = faces.get(i).detection();
                    int x1 = Math.max(0, Math.round(d.x1() - d.width()));
                    int y1 = Math.max(0, Math.round(d.y1() - d.height()));
                    int x2 = Math.min(image.cols(), Math.round(d.x2() + d.width()));
                    int y2 = Math.min(image.rows(), Math.round(d.y2() + d.height()));
                    Path dir = Files.createDirectories(root.resolve("p" + i));
                    try (Rect r = new Rect(x1, y1, x2 - x1, y2 - y1); Mat view = new Mat(image, r)) {
                        imwrite(dir.resolve("p" + i + ".png").toString(), view);
                    }
                    centres.put("p" + i, new float[] {(d.x1() + d.x2()) / 2, (d.y1() + d.y2()) / 2});
                }
            } finally {
                faces.forEach(PhotoFaces.Face::close);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return centres;
    }

    /** The person whose centre (scaled by {@code scale}) is nearest to (x, y). */
    public static String nearest(Map<String, float[]> centres, double scale, float x, float y) {
        String best = null;
        double bestDistance = Double.MAX_VALUE;
        for (Map.Entry<String, float[]> c : centres.entrySet()) {
            double d = Math.hypot(c.getValue()[0] * scale - x, c.getValue()[1] * scale - y);
            if (d < bestDistance) {
                bestDistance = d;
                best = c.getKey();
            }
        }
        return best;
    }
}
