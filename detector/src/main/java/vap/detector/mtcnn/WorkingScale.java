package vap.detector.mtcnn;

import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;

import java.util.ArrayList;
import java.util.List;

/**
 * The image the cascade works on versus the caller's: its size (the caller's, or shrunk so the long side is
 * maxImageSide) and how a candidate's coordinates map back into the caller's image.
 *
 * @param toOriginal multiplies working coordinates into the caller's image (1 when nothing was shrunk)
 */
record WorkingScale(int width, int height, float toOriginal) {

    /** Keeps the size if the long side is within {@code maxSide} (0 = no limit), else shrinks to it. */
    static WorkingScale fit(int cols, int rows, int maxSide) {
        int longSide = Math.max(cols, rows);
        if (maxSide == 0 || longSide <= maxSide) {
            return new WorkingScale(cols, rows, 1f);
        }
        double k = (double) maxSide / longSide;
        int w = Math.max(1, (int) Math.round(cols * k));
        int h = Math.max(1, (int) Math.round(rows * k));
        return new WorkingScale(w, h, (float) cols / w);
    }

    boolean keeps(int cols, int rows) {
        return width == cols && height == rows;
    }

    /** A candidate as the public face: MTCNN's 1-based inclusive corners, in the caller's image. */
    DetectedFace toOriginal(Candidate c) {
        List<Landmark> points = new ArrayList<>(DetectedFace.LANDMARK_COUNT);
        for (int j = 0; j < DetectedFace.LANDMARK_COUNT; j++) {
            points.add(new Landmark(c.landmarks[j], c.landmarks[j + 5]));
        }
        // 1-based inclusive corners to 0-based continuous ones: the left edge of pixel x1 is x1 - 1.
        return new DetectedFace(c.x1 - 1, c.y1 - 1, c.x2, c.y2, c.score, points).scaled(toOriginal);
    }
}
