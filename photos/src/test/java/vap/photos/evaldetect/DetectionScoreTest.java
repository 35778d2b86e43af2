package vap.photos.evaldetect;

import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;

import java.util.Collections;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scorer's matching rule on known geometry: a rolled face counts as found whether boxed upright or turned. */
class DetectionScoreTest {
    /** A face of side 100 rolled 40 degrees, centred at (300, 200): its bounding box is 100 (cos 40 + sin 40). */
    private static final double SIDE = 100;
    private static final double ROLL = 40;
    private static final double EXTENT = SIDE * (Math.cos(Math.toRadians(ROLL)) + Math.sin(Math.toRadians(ROLL)));
    private static final TruthFace ROLLED = new TruthFace(300 - EXTENT / 2, 200 - EXTENT / 2, 300 + EXTENT / 2,
            200 + EXTENT / 2, ROLL, SIDE, List.of());

    @Test
    void aRolledFaceBoxedUprightMatchesItsUprightBox() {
        // The upright 100 px box (as the upright cascade reports a rolled face): centred, its IoU with the 141 px
        // bounding box is 1 / (cos 40 + sin 40)^2 = 0.504, so 25 px off centre it drops to 0.47 there, while with
        // the face's upright box it is 75 / 125 = 0.6.
        assertEquals(1 / (EXTENT / SIDE * EXTENT / SIDE),
                IoU.of(250, 150, 350, 250, ROLLED.x1(), ROLLED.y1(), ROLLED.x2(), ROLLED.y2()), 1e-9);
        assertEquals(1, ROLLED.overlap(250, 150, 350, 250), 1e-9);
        DetectedFace upright = face(275, 150, 375, 250);
        double withBoundingBox = IoU.of(275, 150, 375, 250, ROLLED.x1(), ROLLED.y1(), ROLLED.x2(), ROLLED.y2());
        assertTrue(withBoundingBox < 0.5, "IoU with the bounding box " + withBoundingBox);
        assertEquals(0.6, ROLLED.overlap(275, 150, 375, 250), 1e-9);
        DetectionScore score = scoreOne(List.of(ROLLED), List.of(upright));
        assertEquals(1, score.found);
        assertEquals(0, score.falseDetections);
    }

    @Test
    void aRolledFaceReportedAsItsTurnedBoxesBoundsMatchesTheLabel() {
        // The rotated passes return the bounding box of the turned box: the label itself, up to a few pixels.
        DetectionScore score = scoreOne(List.of(ROLLED), List.of(face(ROLLED.x1() + 3, ROLLED.y1() - 2,
                ROLLED.x2() + 3, ROLLED.y2() - 2)));
        assertEquals(1, score.found);
        assertEquals(0, score.falseDetections);
    }

    @Test
    void aBoxBesideTheFaceOrFarTooLargeIsStillFalse() {
        // Half a face to the side: IoU 1/3 with the upright box and below 0.5 with the bounding box.
        DetectionScore beside = scoreOne(List.of(ROLLED), List.of(face(300, 150, 400, 250)));
        assertEquals(0, beside.found);
        assertEquals(1, beside.falseDetections);
        // A box twice the bounding box around the same centre: IoU 0.25 and less.
        DetectionScore large = scoreOne(List.of(ROLLED), List.of(face(300 - EXTENT, 200 - EXTENT, 300 + EXTENT,
                200 + EXTENT)));
        assertEquals(0, large.found);
        assertEquals(1, large.falseDetections);
    }

    @Test
    void twoDetectionsOfOneFaceCountOneTrueAndOneFalse() {
        DetectionScore score = scoreOne(List.of(ROLLED), List.of(face(250, 150, 350, 250),
                face(ROLLED.x1(), ROLLED.y1(), ROLLED.x2(), ROLLED.y2())));
        assertEquals(1, score.found);
        assertEquals(1, score.falseDetections);
    }

    @Test
    void anUprightFacesTwoBoxesAreOne() {
        TruthFace upright = new TruthFace(10, 20, 110, 120, 0, 100, List.of());
        assertEquals(IoU.of(30, 20, 130, 120, 10, 20, 110, 120), upright.overlap(30, 20, 130, 120), 1e-12);
    }

    private static DetectionScore scoreOne(List<TruthFace> truth, List<DetectedFace> detected) {
        DetectionScore score = new DetectionScore();
        try (LabelledImage image = new LabelledImage("test", "one", new Mat(400, 600, CV_8UC3), truth, true)) {
            score.add(image, detected);
        }
        return score;
    }

    private static DetectedFace face(double x1, double y1, double x2, double y2) {
        return new DetectedFace((float) x1, (float) y1, (float) x2, (float) y2, 0.99f,
                Collections.nCopies(DetectedFace.LANDMARK_COUNT, new Landmark((float) x1, (float) y1)));
    }
}
