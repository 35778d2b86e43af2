package vap.vision.face;

/** A facial landmark in the pixel coordinates of the original image (0-based; pixel (i, j) covers [i, i+1)). */
public record Landmark(float x, float y) {
}
