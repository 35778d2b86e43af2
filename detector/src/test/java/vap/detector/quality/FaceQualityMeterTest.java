package vap.detector.quality;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vap.detector.TestPhotos;
import vap.detector.mtcnn.MtcnnConfig;
import vap.detector.mtcnn.MtcnnDetector;
import vap.messages.FaceQuality;
import vap.vision.align.FaceAligner;
import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;

import java.util.Comparator;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Face quality on real faces (face-api's sample photos) and on the same faces made worse on purpose. */
class FaceQualityMeterTest {
    private static MtcnnDetector detector;
    private final FaceQualityMeter meter = new FaceQualityMeter(QualityConfig.defaults());
    private final FaceAligner aligner = new FaceAligner();

    @BeforeAll
    static void load() {
        detector = new MtcnnDetector(MtcnnConfig.defaults());
    }

    @AfterAll
    static void close() {
        detector.close();
    }

    @Test
    void aSharpLargeFrontalFaceScoresHighAndBlurSizeAndTurnLowerIt() {
        try (Mat photo = TestPhotos.sample(1, 800); Mat blurred = new Mat(); Mat small = new Mat()) {
            DetectedFace face = largest(photo);
            FaceQuality sharp = quality(photo, face);
            try (Size k = new Size(0, 0)) {
                GaussianBlur(photo, blurred, k, 3.0);
            }
            FaceQuality blur = quality(blurred, near(blurred, centreX(face), centreY(face)));
            try (Size quarter = new Size(photo.cols() / 4, photo.rows() / 4)) {
                resize(photo, small, quarter, 0, 0, INTER_AREA);
            }
            FaceQuality tiny = quality(small, near(small, centreX(face) / 4, centreY(face) / 4));
            System.out.printf("quality: sharp %s%n         blurred %s%n         quarter size %s%n", sharp, blur, tiny);

            assertTrue(sharp.getSharpness() > 0.7f, "a sharp photo: " + sharp);
            assertTrue(sharp.getValue() > 0.5f, sharp.toString());
            // She turns her head a little to her left: RGB's landmarks put the nose 0.18 eye distances off the
            // eyes' midline (about 22 degrees; BGR's landmarks said 10), which matches the photo.
            assertTrue(Math.abs(sharp.getYaw()) < 25, "a nearly frontal face: " + sharp);
            assertEquals(face.score(), sharp.getDetectionScore(), 0f);

            assertTrue(blur.getSharpness() < sharp.getSharpness() / 2, "blur lowers sharpness: " + blur);
            assertTrue(blur.getValue() < sharp.getValue() / 2, blur.toString());

            // Landmarks of an 8 px eye distance are good to a pixel or two.
            assertEquals(sharp.getFaceSize() / 4, tiny.getFaceSize(), sharp.getFaceSize() / 4 * 0.3, tiny.toString());
            assertTrue(tiny.getValue() < sharp.getValue() / 2, "a quarter-size face: " + tiny);
        }
    }

    @Test
    void yawAndRollFollowTheLandmarks() {
        // The eyes 40 px apart, level; the nose on the midline, then moved towards the image's right.
        FaceQuality frontal = geometry(0, 0);
        assertEquals(0, frontal.getYaw(), 0.01);
        assertEquals(0, frontal.getRoll(), 0.01);
        FaceQuality turned = geometry(10, 0);
        assertEquals(Math.toDegrees(Math.atan(0.25 / 0.5)), turned.getYaw(), 0.01, "nose a quarter eye distance right");
        assertTrue(geometry(-10, 0).getYaw() < -20, "the other way");
        assertTrue(turned.getValue() < frontal.getValue(), "a turned head scores lower");
        // The whole face rotated by 30 degrees: roll 30, yaw still 0.
        FaceQuality rolled = geometry(0, 30);
        assertEquals(30, rolled.getRoll(), 0.01);
        assertEquals(0, rolled.getYaw(), 0.01);
        assertEquals(40, rolled.getFaceSize(), 0.01);
    }

    @Test
    void aMirroredFaceTurnsTheOtherWay() {
        try (Mat photo = TestPhotos.sample(3, 800); Mat mirrored = new Mat()) {
            flip(photo, mirrored, 1);
            DetectedFace face = largest(photo);
            FaceQuality q = quality(photo, face);
            FaceQuality m = quality(mirrored, near(mirrored, photo.cols() - centreX(face), centreY(face)));
            assertEquals(q.getYaw(), -m.getYaw(), 3.0, q + " vs " + m);
            assertEquals(q.getRoll(), -m.getRoll(), 3.0, q + " vs " + m);
        }
    }

    private static DetectedFace largest(Mat image) {
        return detector.detect(image).stream().max(Comparator.comparingDouble(DetectedFace::width))
                .orElseThrow(() -> new AssertionError("no face"));
    }

    /** The face detected nearest (x, y): the same person in an altered copy of the photo. */
    private static DetectedFace near(Mat image, double x, double y) {
        return detector.detect(image).stream()
                .min(Comparator.comparingDouble(f -> Math.hypot(centreX(f) - x, centreY(f) - y)))
                .orElseThrow(() -> new AssertionError("no face"));
    }

    private static double centreX(DetectedFace f) {
        return (f.x1() + f.x2()) / 2.0;
    }

    private static double centreY(DetectedFace f) {
        return (f.y1() + f.y2()) / 2.0;
    }

    private FaceQuality quality(Mat image, DetectedFace face) {
        try (Mat chip = aligner.alignedCrop(image, face)) {
            return meter.measure(face, chip);
        }
    }

    /** A synthetic face (no image needed for the angles): nose shifted by {@code noseShift} px, rotated by roll. */
    private FaceQuality geometry(double noseShift, double rollDegrees) {
        double c = Math.cos(Math.toRadians(rollDegrees));
        double s = Math.sin(Math.toRadians(rollDegrees));
        double[][] pts = {{-20, 0}, {20, 0}, {noseShift, 20}, {-15, 40}, {15, 40}};
        List<Landmark> landmarks = java.util.Arrays.stream(pts)
                .map(p -> new Landmark((float) (200 + c * p[0] - s * p[1]), (float) (200 + s * p[0] + c * p[1])))
                .toList();
        DetectedFace face = new DetectedFace(150, 150, 250, 250, 0.99f, landmarks);
        try (Mat photo = TestPhotos.sample(1, 800); Mat chip = aligner.alignedCrop(photo, face)) {
            return meter.measure(face, chip);
        }
    }
}
