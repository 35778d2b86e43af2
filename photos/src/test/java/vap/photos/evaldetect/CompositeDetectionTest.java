package vap.photos.evaldetect;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vap.detector.mtcnn.MtcnnConfig;
import vap.detector.mtcnn.MtcnnDetector;
import vap.vision.face.DetectedFace;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vap eval detect}'s composites and scoring, and the detector on them: composites made here (seeded, from
 * the npm sample photos on the classpath), so no shared data is needed. Fails if whole-frame or rolled faces are
 * missed again.
 */
class CompositeDetectionTest {
    private static List<LabelledImage> images;

    @BeforeAll
    static void make() {
        List<Composites.SourceFace> sources = DetectionSets.compositeSources();
        Composites composites = new Composites(sources, 12);
        images = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            images.add(composites.image(i));
        }
    }

    @AfterAll
    static void close() {
        images.forEach(LabelledImage::close);
    }

    @Test
    void compositesAreDeterministicAndTheirTruthScoresPerfectly() {
        List<Composites.SourceFace> sources = DetectionSets.compositeSources();
        try (LabelledImage again = new Composites(sources, 12).image(3)) {
            assertEquals(images.get(3).faces(), again.faces());
        }
        DetectionScore perfect = new DetectionScore();
        for (LabelledImage image : images) {
            perfect.add(image, image.faces().stream().map(f -> new DetectedFace((float) f.x1(), (float) f.y1(),
                    (float) f.x2(), (float) f.y2(), 0.99f, f.landmarks())).toList());
        }
        assertEquals(perfect.faces, perfect.found);
        assertEquals(0, perfect.falseDetections);
        assertEquals(1.0, perfect.averagePrecision(), 1e-9);
        assertTrue(images.stream().anyMatch(i -> i.faces().stream().anyMatch(f -> Math.abs(f.rotation()) >= 25)),
                "the set has rolled faces");
    }

    @Test
    void largeFacesAndRotationsLoseNothingOnTheComposites() {
        DetectionScore defaults = score(MtcnnConfig.defaults().withRotations(MtcnnConfig.ROLLED_FACES));
        DetectionScore reference = score(MtcnnConfig.defaults().withLargeFaces(false).withRotations(List.of(0.0)));
        int rolledFaces = defaults.rollFaces[2];
        assertTrue(rolledFaces >= 2, "too few faces rolled 30-45 degrees in the set: " + rolledFaces);
        int largeFaces = defaults.sizeFaces[4] + defaults.sizeFaces[5];
        assertTrue(largeFaces >= 2, "too few faces of 160 px and more in the set: " + largeFaces);
        // Measured 2026-11-30 with the fair matching (a rolled face boxed upright matches its upright box): the
        // defaults with rotations, the defaults and the reference cascade all find 19 of 19 (16 of 16 >= 40 px, the
        // 4 rolled 30-45 degrees, the 4 of 320 px and more); with rotations 1 false detection (a 110 px box away
        // from portrait 003's face, score 0.93), 0 without. Bounds: one miss >= 40 px, no rolled or large face lost.
        assertTrue(defaults.recallFrom(40) >= 15.0 / 16, "recall of faces >= 40 px: " + defaults.recallFrom(40));
        assertEquals(rolledFaces, defaults.rollFound[2], "faces rolled 30-45 degrees found");
        assertEquals(largeFaces, defaults.sizeFound[4] + defaults.sizeFound[5], "faces of 160 px and more found");
        assertTrue(defaults.rollFound[2] >= reference.rollFound[2],
                "rolled 30-45: defaults " + defaults.rollFound[2] + ", reference " + reference.rollFound[2]);
        assertTrue(defaults.found >= reference.found, "found: defaults " + defaults.found + ", reference "
                + reference.found);
        assertTrue(defaults.falseDetections <= 2, "false detections: " + defaults.falseDetections);
        // Landmark error (of the face size): here means 0.015-0.033 per roll bucket, worst 0.054; `vap eval detect`
        // (60 composites) means 0.016-0.050, worst 0.186.
        for (List<Double> errors : defaults.landmarkErrors) {
            errors.forEach(e -> assertTrue(e < 0.15, "landmark error " + e + " of the face size"));
            assertTrue(errors.stream().mapToDouble(Double::doubleValue).average().orElse(0) < 0.06,
                    "mean landmark error " + errors);
        }
    }

    private static DetectionScore score(MtcnnConfig config) {
        DetectionScore score = new DetectionScore();
        try (MtcnnDetector detector = new MtcnnDetector(config)) {
            for (LabelledImage image : images) {
                score.add(image, detector.detect(image.image()));
            }
        }
        return score;
    }
}
