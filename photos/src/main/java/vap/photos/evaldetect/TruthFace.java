package vap.photos.evaldetect;

import vap.vision.face.Landmark;

import java.util.List;

/**
 * A labelled face: its axis-aligned box (0-based continuous pixel coordinates, x2/y2 exclusive, as
 * {@link vap.vision.face.DetectedFace}), how far the head is rolled, its size, and its five landmarks when known
 * (composites only).
 *
 * @param rotation in-plane roll in degrees (0 when unknown)
 * @param side     the face's own size in pixels: the side of the upright face box (for a rolled face smaller
 *                 than its bounding box); buckets are by this
 * @param tone     the skin tone group a person assigned by looking (free text such as "light", "brown"; empty when
 *                 not labelled); recall is reported per group
 */
record TruthFace(double x1, double y1, double x2, double y2, double rotation, double side, List<Landmark> landmarks,
                 String tone) {

    TruthFace {
        if (!(x2 > x1 && y2 > y1)) {
            throw new IllegalArgumentException("empty face box " + x1 + "," + y1 + "," + x2 + "," + y2);
        }
        landmarks = landmarks == null ? List.of() : List.copyOf(landmarks);
        tone = tone == null ? "" : tone.strip();
    }

    TruthFace(double x1, double y1, double x2, double y2, double rotation, double side, List<Landmark> landmarks) {
        this(x1, y1, x2, y2, rotation, side, landmarks, "");
    }

    /**
     * How well a detection box covers this face: the larger of its IoU with the labelled (bounding) box and its IoU
     * with the face's upright box, a square of {@link #side()} around the same centre. A rolled face may be reported
     * either way: the upright cascade boxes it upright (about the face's own size, so its IoU with the rolled face's
     * bounding box is at most 1 / (cos r + sin r)^2, 0.5 at 45 degrees), the rotated passes return the bounding box
     * of the turned box. For an upright face both boxes are the same.
     */
    double overlap(double dx1, double dy1, double dx2, double dy2) {
        double cx = (x1 + x2) / 2;
        double cy = (y1 + y2) / 2;
        double h = side / 2;
        return Math.max(IoU.of(dx1, dy1, dx2, dy2, x1, y1, x2, y2),
                IoU.of(dx1, dy1, dx2, dy2, cx - h, cy - h, cx + h, cy + h));
    }

    /** A hand label: box, roll and tone only; the face's size is taken from the box. */
    static TruthFace labelled(double x1, double y1, double x2, double y2, double rotation, String tone) {
        double r = Math.toRadians(Math.abs(rotation) % 90);
        // The box of a square of side s rolled by r is s (cos r + sin r) wide.
        double side = Math.max(x2 - x1, y2 - y1) / (Math.cos(r) + Math.sin(r));
        return new TruthFace(x1, y1, x2, y2, rotation, side, List.of(), tone);
    }
}
