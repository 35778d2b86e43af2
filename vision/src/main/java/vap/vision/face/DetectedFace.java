package vap.vision.face;

import java.util.List;

/**
 * One face found by the detector, in the pixel coordinates of the original image (before any downscaling the
 * detector applied to a large input). Coordinates are 0-based and continuous: pixel (i, j) covers
 * [i, i+1) x [j, j+1), so the box spans {@code x1 <= x < x2}; it may reach past the image border.
 *
 * <p>{@code landmarks} holds exactly five points, in the order MTCNN's O-Net emits them: the eye on the image's
 * left (the subject's right eye), the eye on the image's right, the nose tip, the mouth corner on the image's left,
 * the mouth corner on the image's right.
 *
 * @param score O-Net face probability in [0, 1]
 */
public record DetectedFace(float x1, float y1, float x2, float y2, float score, List<Landmark> landmarks) {

    public static final int LANDMARK_COUNT = 5;
    public static final int LEFT_EYE = 0;
    public static final int RIGHT_EYE = 1;
    public static final int NOSE = 2;
    public static final int MOUTH_LEFT = 3;
    public static final int MOUTH_RIGHT = 4;

    public DetectedFace {
        landmarks = List.copyOf(landmarks);
        if (landmarks.size() != LANDMARK_COUNT) {
            throw new IllegalArgumentException("a face has " + LANDMARK_COUNT + " landmarks, got " + landmarks.size());
        }
    }

    public float width() {
        return x2 - x1;
    }

    public float height() {
        return y2 - y1;
    }

    public Landmark landmark(int index) {
        return landmarks.get(index);
    }

    /** This face with every coordinate multiplied by {@code factor} (undoes a downscale of the input). */
    public DetectedFace scaled(float factor) {
        if (factor == 1f) {
            return this;
        }
        List<Landmark> points = landmarks.stream().map(p -> new Landmark(p.x() * factor, p.y() * factor)).toList();
        return new DetectedFace(x1 * factor, y1 * factor, x2 * factor, y2 * factor, score, points);
    }
}
