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
                // Landmarks first: O-Net gives them as fractions of the crop it saw, not of the box it regresses.
                placeLandmarks(c);
                c.regressInclusive();
                // The reference (face-api.js) reports square boxes; downstream crops want them square too.
                c.square();
                passed.add(c);
            }
        }
        return NonMaxSuppression.select(passed, ONET_NMS, NonMaxSuppression.Overlap.MIN);
    }

    /**
     * Turns O-Net's landmark fractions into image coordinates (0-based) within the box O-Net saw, as the Caffe
     * release does (O-Net was trained on landmarks relative to its input crop). face-api.js places them in the
     * regressed, squared box instead: a few pixels off on ordinary faces, but on composites with exact truth
     * that put the mean error at 0.063 of the face size (max 0.16, worst on large faces, whose crops the
     * regression moves most) against 0.015 (max 0.043) here; see detector/README.md.
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
