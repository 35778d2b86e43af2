package vap.detector.mtcnn;

import vap.vision.face.DetectedFace;

import java.util.ArrayList;
import java.util.List;

/** Which of a frame's candidates survive each stage, and how their boxes move (the reference's order of steps). */
final class Refinement {
    private static final float PNET_NMS_ACROSS_SCALES = 0.7f;
    private static final float RNET_NMS = 0.7f;
    private static final float ONET_NMS = 0.7f;

    private Refinement() {
    }

    /** After P-Net: NMS across pyramid levels, regression (cell box measured exclusively), squaring. */
    static List<Candidate> afterPNet(List<Candidate> allLevels) {
        List<Candidate> boxes = new ArrayList<>();
        for (Candidate c : NonMaxSuppression.select(allLevels, PNET_NMS_ACROSS_SCALES,
                NonMaxSuppression.Overlap.UNION)) {
            c.regressExclusive();
            c.square();
            c.truncate();
            if (c.x2 >= c.x1 && c.y2 >= c.y1) {
                boxes.add(c);
            }
        }
        return boxes;
    }

    /** After R-Net: threshold, NMS, regression, squaring. */
    static List<Candidate> afterRNet(List<Candidate> scored, float threshold) {
        List<Candidate> passed = new ArrayList<>();
        for (Candidate c : scored) {
            if (c.score > threshold) {
                passed.add(c);
            }
        }
        List<Candidate> refined = new ArrayList<>();
        for (Candidate c : NonMaxSuppression.select(passed, RNET_NMS, NonMaxSuppression.Overlap.UNION)) {
            c.regressInclusive();
            c.square();
            c.truncate();
            if (c.x2 >= c.x1 && c.y2 >= c.y1) {
                refined.add(c);
            }
        }
        return refined;
    }

    /** After O-Net: threshold, regression, squaring, landmarks, NMS over the smaller area. */
    static List<Candidate> afterONet(List<Candidate> scored, float threshold) {
        List<Candidate> passed = new ArrayList<>();
        for (Candidate c : scored) {
            if (c.score > threshold) {
                c.regressInclusive();
                // The reference (face-api.js) reports square boxes; downstream crops want them square too.
                c.square();
                placeLandmarks(c);
                passed.add(c);
            }
        }
        return NonMaxSuppression.select(passed, ONET_NMS, NonMaxSuppression.Overlap.MIN);
    }

    /**
     * Turns O-Net's landmark fractions into image coordinates (0-based) within the final box, as the reference
     * implementation does: x = px * (w + 1) + x1 with the box's exclusive width w. (The Caffe release places them
     * in the box O-Net saw, before its regression: a few pixels apart; this one keeps every landmark of faces.jpg
     * within the reference's 10 px tolerance, the other misses one by a fraction of a pixel.)
     */
    private static void placeLandmarks(Candidate c) {
        float w = c.x2 - c.x1 + 1;
        float h = c.y2 - c.y1 + 1;
        for (int j = 0; j < DetectedFace.LANDMARK_COUNT; j++) {
            c.landmarks[j] = c.landmarks[j] * w + c.x1 - 1;
            c.landmarks[j + 5] = c.landmarks[j + 5] * h + c.y1 - 1;
        }
    }
}
