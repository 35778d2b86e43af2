package vap.detector.mtcnn;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

/**
 * An image turned by {@code degrees} (counter-clockwise as displayed, OpenCV's sense) about its centre onto a
 * canvas large enough to hold all of it, and the maps of points both ways. Points are 0-based continuous
 * coordinates (pixel (i, j) covers [i, i+1)), so a round trip is exact.
 */
final class FrameRotation {
    final double degrees;
    final int width;
    final int height;
    private final double cos;
    private final double sin;
    private final double tx;
    private final double ty;

    FrameRotation(int sourceWidth, int sourceHeight, double degrees) {
        this.degrees = degrees;
        double rad = Math.toRadians(degrees);
        this.cos = Math.cos(rad);
        this.sin = Math.sin(rad);
        this.width = (int) Math.ceil(Math.abs(sourceWidth * cos) + Math.abs(sourceHeight * sin));
        this.height = (int) Math.ceil(Math.abs(sourceWidth * sin) + Math.abs(sourceHeight * cos));
        double cx = sourceWidth / 2.0;
        double cy = sourceHeight / 2.0;
        this.tx = width / 2.0 - (cos * cx + sin * cy);
        this.ty = height / 2.0 - (-sin * cx + cos * cy);
    }

    /** A source point on the rotated canvas: x' = x cos + y sin + tx, y' = -x sin + y cos + ty. */
    double[] forward(double x, double y) {
        return new double[]{cos * x + sin * y + tx, -sin * x + cos * y + ty};
    }

    /** A canvas point back in the source image. */
    double[] inverse(double x, double y) {
        double u = x - tx;
        double v = y - ty;
        return new double[]{cos * u - sin * v, sin * u + cos * v};
    }

    /** The rotated image (bilinear, black outside the source). */
    Mat apply(Mat source) {
        // warpAffine works on pixel indices (centres at integers): shift the continuous map by half a pixel.
        double ix = tx + 0.5 * (cos + sin) - 0.5;
        double iy = ty + 0.5 * (cos - sin) - 0.5;
        Mat rotated = new Mat();
        try (Mat m = new Mat(2, 3, CV_64F); Size size = new Size(width, height);
             Scalar black = new Scalar(0, 0, 0, 0)) {
            var idx = m.<org.bytedeco.javacpp.indexer.DoubleIndexer>createIndexer();
            idx.put(0, 0, cos).put(0, 1, sin).put(0, 2, ix);
            idx.put(1, 0, -sin).put(1, 1, cos).put(1, 2, iy);
            idx.release();
            warpAffine(source, rotated, m, size, INTER_LINEAR, BORDER_CONSTANT, black);
        }
        return rotated;
    }
}
