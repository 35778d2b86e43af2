package vap.vision.align;

import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vap.vision.TestImages;
import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;
import vap.vision.image.ImageDecoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dlib's 68-point shape predictor (Debian libdlib-data, which {@code ./vap test} installs) read and run on the
 * sample photos: the file's structure, dlib's own points for one face and box, and eyes found from a box placed by
 * MTCNN's five landmarks, also when that box is off.
 */
class ShapePredictorTest {
    private static final Path MODEL = Path.of(System.getProperty("vap.dlib.dir", "/usr/share/dlib"),
            "shape_predictor_68_face_landmarks.dat");
    private static ShapePredictor predictor;

    /**
     * MTCNN's landmarks (eyes, nose, mouth corners) of two frontal faces at full size, from the production
     * detector at its defaults (PhotoFaces), checked by eye: sample1's left woman, sample3's left woman.
     */
    private static final float[] SAMPLE1_FACE = {440.44f, 458.59f, 517.97f, 458.58f, 467.96f, 511.80f, 442.41f, 542.11f, 523.40f, 538.60f};
    private static final float[] SAMPLE3_FACE = {630.54f, 429.74f, 725.50f, 430.63f, 661.15f, 484.17f, 637.74f, 534.53f, 713.89f, 534.68f};

    /**
     * dlib 19.24's own {@code shape_predictor} output (integer points) for sample1's left woman in
     * {@code rectangle(381, 397, 576, 592)}, on the grey image {@link GreyImage#of} makes (a C++ program linked
     * against Debian's libdlib-dev, docs/experiments/issue-11-alignment/DlibReference.cpp).
     */
    private static final int[] DLIB_SAMPLE1 = {418, 467, 417, 484, 418, 501, 424, 519, 432, 537, 442, 557, 454, 575,
            467, 591, 485, 598, 508, 596, 536, 586, 563, 574, 586, 557, 599, 534, 604, 506, 604, 478, 603, 451, 412,
            432, 419, 426, 429, 429, 439, 433, 448, 440, 478, 438, 497, 431, 515, 427, 534, 431, 553, 438, 465, 460,
            463, 475, 460, 489, 457, 504, 451, 517, 458, 522, 466, 525, 475, 523, 485, 521, 426, 458, 434, 452, 446,
            453, 455, 463, 444, 467, 432, 466, 496, 465, 506, 454, 521, 454, 534, 461, 523, 469, 509, 469, 444, 539,
            453, 539, 461, 539, 469, 542, 478, 541, 498, 543, 523, 542, 501, 558, 482, 563, 472, 563, 464, 561, 455,
            553, 450, 542, 462, 547, 470, 549, 479, 549, 516, 544, 480, 549, 471, 549, 463, 547};

    @BeforeAll
    static void load() throws Exception {
        if (Files.isRegularFile(MODEL)) {
            predictor = ShapePredictor.load(MODEL);
        }
    }

    /** Each test is skipped (reported as such, with why) without the model file. */
    @BeforeEach
    void needsTheModel() {
        Assumptions.assumeTrue(predictor != null, MODEL + " is missing: install Debian's libdlib-data"
                + " (apt-get install libdlib-data; ./vap test installs it) to run dlib's shape predictor tests");
    }

    @Test
    void readsTheWholeCascade() {
        assertEquals(68, predictor.pointCount());
        assertEquals(15, predictor.stageCount());
        for (int s = 0; s < predictor.stageCount(); s++) {
            assertEquals(500, predictor.treeCount(s));
            assertEquals(16, predictor.leafCount(s));
            assertEquals(500, predictor.featureCount(s));
        }
        float[] mean = predictor.meanShape();
        for (float v : mean) {
            assertTrue(v > -0.2f && v < 1.2f, "mean shape point outside its box: " + v);
        }
        // The mean face is upright: eyes above the nose tip above the chin, the subject's right eye on the left.
        assertTrue(mean[2 * 36] < mean[2 * 45] && mean[2 * 36 + 1] < mean[2 * 30 + 1] && mean[2 * 30 + 1] < mean[2 * 8 + 1]);
    }

    @Test
    void givesDlibsOwnPointsForTheSameBox() {
        try (Mat photo = sample(1)) {
            float[] shape = predictor.predict(GreyImage.of(photo), ShapeBox.ofDlibRect(381, 397, 576, 592));
            assertEquals(DLIB_SAMPLE1.length, shape.length);
            for (int i = 0; i < shape.length; i++) {
                assertEquals(DLIB_SAMPLE1[i], (int) Math.floor(shape[i] + 0.5), "coordinate " + i + ": " + shape[i]);
            }
        }
    }

    @Test
    void findsTheEyesFromTheBoxOfMtcnnsLandmarks() {
        checkEyes(1, face(SAMPLE1_FACE), 0, 0, 1);
        checkEyes(3, face(SAMPLE3_FACE), 0, 0, 1);
    }

    @Test
    void findsTheEyesFromABoxThatIsOff() {
        // Shifted by a tenth of its size and 10% larger: the mean shape alone misses the eyes, the cascade not.
        checkEyes(1, face(SAMPLE1_FACE), 0.1, -0.1, 1.1);
        checkEyes(3, face(SAMPLE3_FACE), -0.1, 0.1, 0.9);
    }

    /** Eye centres (means of the six contour points) within 8% of the eye distance of MTCNN's eye landmarks. */
    private static void checkEyes(int photoNumber, DetectedFace face, double dx, double dy, double scale) {
        ShapeBox fitted = predictor.boxFor(face);
        double size = fitted.width() * scale;
        ShapeBox box = new ShapeBox(fitted.left() + dx * fitted.width() - (size - fitted.width()) / 2,
                fitted.top() + dy * fitted.height() - (size - fitted.height()) / 2, size, size);
        double eyeDistance = distance(face.landmark(0), face.landmark(1));
        double tolerance = 0.08 * eyeDistance;
        try (Mat photo = sample(photoNumber)) {
            float[] shape = predictor.predict(GreyImage.of(photo), box);
            float[] start = predictor.meanShape();
            for (int i = 0; i < start.length; i += 2) {
                start[i] = (float) (box.left() + start[i] * box.width());
                start[i + 1] = (float) (box.top() + start[i + 1] * box.height());
            }
            for (int eye = 0; eye < 2; eye++) {
                double found = distance(eyeCentre(shape, eye), face.landmark(eye));
                assertTrue(found < tolerance, "sample" + photoNumber + " eye " + eye + " " + found + " px from MTCNN's");
                if (dx != 0 || dy != 0) {
                    double before = distance(eyeCentre(start, eye), face.landmark(eye));
                    assertTrue(before > tolerance, "the test's box is not off: the mean shape's eye is " + before + " px away");
                }
            }
        }
    }

    private static Landmark eyeCentre(float[] shape, int eye) {
        int first = eye == 0 ? 36 : 42;
        double x = 0;
        double y = 0;
        for (int i = first; i < first + 6; i++) {
            x += shape[2 * i] / 6;
            y += shape[2 * i + 1] / 6;
        }
        return new Landmark((float) x, (float) y);
    }

    private static double distance(Landmark a, Landmark b) {
        return Math.hypot(a.x() - b.x(), a.y() - b.y());
    }

    private static DetectedFace face(float[] xy) {
        List<Landmark> landmarks = new ArrayList<>();
        for (int i = 0; i < DetectedFace.LANDMARK_COUNT; i++) {
            landmarks.add(new Landmark(xy[2 * i], xy[2 * i + 1]));
        }
        float minX = Math.min(xy[0], xy[6]);
        float maxX = Math.max(xy[2], xy[8]);
        return new DetectedFace(minX - 30, xy[1] - 60, maxX + 30, xy[7] + 40, 0.99f, landmarks);
    }

    /** Sample photo {@code n} at its full size (the landmarks above are in its pixels). */
    private static Mat sample(int n) {
        return ImageDecoder.decode(TestImages.sampleBytes(n), "sample" + n + ".jpg");
    }
}
