package vap.vision.image;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/** Turns 8-bit BGR face crops into the float layouts the networks read. */
public final class FacePixels {
    private FacePixels() {
    }

    /**
     * Pads {@code bgr} with black to a centred square (face-api.js padToSquare(centred)) and resizes it to
     * {@code size} x {@code size}; a crop that is already that size is returned as is.
     */
    public static Mat squareResized(Mat bgr, int size) {
        requireBgr(bgr);
        int w = bgr.cols();
        int h = bgr.rows();
        if (w == size && h == size) {
            return bgr;
        }
        Mat square = bgr;
        if (w != h) {
            int side = Math.max(w, h);
            int left = (side - w) / 2;
            int top = (side - h) / 2;
            square = new Mat();
            copyMakeBorder(bgr, square, top, side - h - top, left, side - w - left, BORDER_CONSTANT, new Scalar(0.0));
        }
        Mat out = new Mat();
        // Shrinking by a lot aliases with bilinear; area averaging is what a browser canvas would do.
        int interpolation = square.cols() > 2 * size ? INTER_AREA : INTER_LINEAR;
        resize(square, out, new Size(size, size), 0, 0, interpolation);
        return out;
    }

    /** Resizes (without padding) to {@code size} x {@code size}. */
    public static Mat resized(Mat bgr, int size) {
        requireBgr(bgr);
        if (bgr.cols() == size && bgr.rows() == size) {
            return bgr;
        }
        Mat out = new Mat();
        resize(bgr, out, new Size(size, size), 0, 0, INTER_LINEAR);
        return out;
    }

    /** The raw interleaved BGR bytes of a size x size crop. */
    public static byte[] bytes(Mat bgr) {
        requireBgr(bgr);
        Mat m = bgr.isContinuous() ? bgr : bgr.clone();
        byte[] out = new byte[m.rows() * m.cols() * 3];
        m.data().get(out);
        return out;
    }

    private static void requireBgr(Mat m) {
        if (m == null || m.empty() || m.type() != CV_8UC3) {
            throw new IllegalArgumentException("expected a non-empty 8-bit 3-channel BGR image, got "
                    + (m == null || m.empty() ? "an empty image" : "OpenCV type " + m.type()));
        }
    }
}
