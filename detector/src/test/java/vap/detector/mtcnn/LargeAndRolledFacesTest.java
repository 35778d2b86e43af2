package vap.detector.mtcnn;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vap.detector.TestPhotos;
import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;
import vap.vision.image.ImageDecoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Faces the reference cascade misses and the defaults with detector.rotations=0,-30,30 must find (issue 12): a face filling the whole image, and
 * heads rolled 30-45 degrees. Each case also runs with the feature switched off, so the test shows the case is
 * a real miss without it.
 */
class LargeAndRolledFacesTest {
    private static MtcnnDetector defaults;
    private static MtcnnDetector reference;

    @BeforeAll
    static void load() {
        defaults = new MtcnnDetector(MtcnnConfig.defaults().withRotations(MtcnnConfig.ROLLED_FACES));
        reference = new MtcnnDetector(MtcnnConfig.defaults().withLargeFaces(false).withRotations(List.of(0.0)));
    }

    @AfterAll
    static void close() {
        defaults.close();
        reference.close();
    }

    @Test
    void aFaceFillingTheWholeImageIsFoundOnce() {
        // The face box the cascade reports on sample 6 at full size, cut out exactly: the face is the image.
        try (Mat photo = TestPhotos.sample(6, 1920)) {
            DetectedFace face = reference.detect(photo).get(0);
            for (int side : new int[]{150, 300, 600}) {
                try (Mat portrait = cut(photo, face, side)) {
                    List<DetectedFace> found = defaults.detect(portrait);
                    assertEquals(1, found.size(), side + " px whole-frame face: " + found);
                    assertTrue(iou(found.get(0), 0, 0, side, side) >= 0.5, found.toString());
                }
            }
        }
    }

    @Test
    void leonard5GivesOneFace() {
        String shared = System.getProperty("vap.shared.dir");
        Path photo = shared == null ? null : Path.of(shared, "testdata", "faces", "identities", "leonard", "leonard5.png");
        assumeTrue(photo != null && Files.isRegularFile(photo), "shared test data (vap.shared.dir) is not present");
        try (Mat image = ImageDecoder.decode(photo)) {
            assertEquals(1, defaults.detect(image).size());
        }
    }

    @Test
    void rolledHeadsAreFoundWithLandmarksTurnedBack() {
        // A frontal face of sample 6, rolled by 40 and 60 degrees inside a 480 x 480 frame.
        try (Mat photo = TestPhotos.sample(6, 1920)) {
            DetectedFace face = reference.detect(photo).get(0);
            int referenceMisses = 0;
            for (double roll : new double[]{40, -60}) {
                FrameRotation turn = new FrameRotation(photo.cols(), photo.rows(), roll);
                try (Mat turned = turn.apply(photo); Mat small = new Mat()) {
                    double[] c = turn.forward((face.x1() + face.x2()) / 2, (face.y1() + face.y2()) / 2);
                    double half = (face.x2() - face.x1()) * 1.4;
                    int x0 = (int) (c[0] - half);
                    int y0 = (int) (c[1] - half);
                    int side = (int) (2 * half);
                    try (Rect r = new Rect(x0, y0, side, side); Mat crop = new Mat(turned, r);
                         Size size = new Size(480, 480)) {
                        resize(crop, small, size, 0, 0, INTER_AREA);
                    }
                    double k = 480.0 / side;
                    // The crop also shows parts of the neighbours' faces: judge the face at its centre.
                    List<DetectedFace> found = defaults.detect(small).stream()
                            .filter(f -> iou(f, 140, 140, 340, 340) > 0.2).toList();
                    assertEquals(1, found.size(), "roll " + roll + ": " + found);
                    // Where the source landmarks land after the same roll and crop.
                    for (int i = 0; i < DetectedFace.LANDMARK_COUNT; i++) {
                        Landmark truth = face.landmarks().get(i);
                        double[] p = turn.forward(truth.x(), truth.y());
                        Landmark got = found.get(0).landmarks().get(i);
                        double error = Math.hypot(got.x() - (p[0] - x0) * k, got.y() - (p[1] - y0) * k);
                        assertTrue(error < 0.15 * (face.x2() - face.x1()) * k,
                                "roll " + roll + " landmark " + i + " off by " + error + " px");
                    }
                    if (reference.detect(small).stream().noneMatch(f -> iou(f, 140, 140, 340, 340) > 0.2)) {
                        referenceMisses++;
                    }
                }
            }
            // Measured: with RGB the upright cascade finds this face up to 55 degrees either way and at +60, and
            // misses it at -60 (with BGR it already missed it at -40).
            assertTrue(referenceMisses >= 1, "the upright cascade found the face at both rolls");
        }
    }

    @Test
    void sample4GivesItsFourFaces() {
        // Two of them are rolled 20-30 degrees: with RGB the upright cascade finds them too (with BGR it did not).
        try (Mat photo = TestPhotos.sample(4, 1920)) {
            assertEquals(4, defaults.detect(photo).size());
            assertEquals(4, reference.detect(photo).size());
        }
    }

    private static Mat cut(Mat photo, DetectedFace face, int side) {
        try (Rect r = new Rect(Math.round(face.x1()), Math.round(face.y1()), Math.round(face.x2() - face.x1()),
                Math.round(face.y2() - face.y1())); Mat roi = new Mat(photo, r); Size size = new Size(side, side)) {
            Mat out = new Mat();
            resize(roi, out, size, 0, 0, INTER_AREA);
            return out;
        }
    }

    private static double iou(DetectedFace f, double x1, double y1, double x2, double y2) {
        double iw = Math.min(f.x2(), x2) - Math.max(f.x1(), x1);
        double ih = Math.min(f.y2(), y2) - Math.max(f.y1(), y1);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double inter = iw * ih;
        return inter / ((f.x2() - f.x1()) * (f.y2() - f.y1()) + (x2 - x1) * (y2 - y1) - inter);
    }
}
