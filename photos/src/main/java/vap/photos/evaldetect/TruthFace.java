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
 */
record TruthFace(double x1, double y1, double x2, double y2, double rotation, double side, List<Landmark> landmarks) {

    TruthFace {
        if (!(x2 > x1 && y2 > y1)) {
            throw new IllegalArgumentException("empty face box " + x1 + "," + y1 + "," + x2 + "," + y2);
        }
        landmarks = landmarks == null ? List.of() : List.copyOf(landmarks);
    }

    /** A hand label: box and roll only; the face's size is taken from the box. */
    static TruthFace labelled(double x1, double y1, double x2, double y2, double rotation) {
        double r = Math.toRadians(Math.abs(rotation) % 90);
        // The box of a square of side s rolled by r is s (cos r + sin r) wide.
        double side = Math.max(x2 - x1, y2 - y1) / (Math.cos(r) + Math.sin(r));
        return new TruthFace(x1, y1, x2, y2, rotation, side, List.of());
    }
}
