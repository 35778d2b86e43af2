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
        // Measured with RGB input (these composites' sources are also picked by an RGB cascade): both find 17 of
        // 19, 14 of the 16 >= 40 px, 2 of the 4 rolled 30-45 degrees; the upright RGB cascade already finds what
        // rotations found with BGR here (LargeAndRolledFacesTest keeps a real miss, at -60 degrees). The rotated
        // passes add one counted false detection (3 vs 2: rolled faces' upright boxes below IoU 0.5 are counted).
        assertTrue(defaults.recallFrom(40) >= 0.875, "recall of faces >= 40 px: " + defaults.recallFrom(40));
        assertTrue(defaults.rollFound[2] >= reference.rollFound[2],
                "rolled 30-45: defaults " + defaults.rollFound[2] + ", reference " + reference.rollFound[2]);
        assertTrue(defaults.found >= reference.found, "found: defaults " + defaults.found + ", reference "
                + reference.found);
        assertTrue(defaults.falseDetections <= 3, "false detections: " + defaults.falseDetections);
        // Landmark error (of the face size): `vap eval detect` measured means 0.05-0.08 per roll bucket, worst 0.26.
        for (List<Double> errors : defaults.landmarkErrors) {
            errors.forEach(e -> assertTrue(e < 0.3, "landmark error " + e + " of the face size"));
            assertTrue(errors.stream().mapToDouble(Double::doubleValue).average().orElse(0) < 0.1,
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
