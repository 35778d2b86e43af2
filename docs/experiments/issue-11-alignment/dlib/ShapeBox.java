package vap.vision.align;

/**
 * The face box a dlib shape predictor works in: its shapes are in box units, (0, 0) the box's top-left corner and
 * (1, 1) its bottom-right one. For a dlib rectangle (left, top, right, bottom; right and bottom inclusive) the width
 * is right - left, as in dlib's {@code unnormalizing_tform}.
 */
public record ShapeBox(double left, double top, double width, double height) {
    public ShapeBox {
        if (!(width > 0 && height > 0) || !Double.isFinite(left) || !Double.isFinite(top)
                || !Double.isFinite(width) || !Double.isFinite(height)) {
            throw new IllegalArgumentException("bad box " + left + ", " + top + ", " + width + " x " + height);
        }
    }

    /** The box of a dlib {@code rectangle(left, top, right, bottom)}. */
    public static ShapeBox ofDlibRect(long left, long top, long right, long bottom) {
        return new ShapeBox(left, top, right - left, bottom - top);
    }

    double x(double u) {
        return left + u * width;
    }

    double y(double v) {
        return top + v * height;
    }
}
