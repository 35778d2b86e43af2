package vap.detector.mtcnn;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Moves pixels from OpenCV Mats into the float layout the networks take ({@link NetInput}): transposed
 * (x before y), channels last, in the {@link ChannelOrder} asked for (RGB or BGR) from an 8-bit BGR Mat,
 * {@code (v - 127.5) / 128}. OpenCV does every resize; Java only reorders.
 */
final class PixelPacking {
    /** (v - 127.5) * 0.0078125 for every byte value: the MTCNN input normalisation. */
    private static final float[] NORMALISED = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            NORMALISED[v] = (v - 127.5f) * 0.0078125f;
        }
    }

    private PixelPacking() {
    }

    /** Writes an 8-bit BGR Mat at {@code offset} as width x height x 3 values, in {@code order}. */
    static void pack(Mat bgr, ChannelOrder order, float[] dst, int offset, byte[] scratch) {
        int w = bgr.cols();
        int h = bgr.rows();
        int plane = w * h;
        byte[] px = scratch.length >= plane * 3 ? scratch : new byte[plane * 3];
        if (!bgr.isContinuous()) {
            try (Mat copy = bgr.clone()) {
                copy.data().get(px, 0, plane * 3);
            }
        } else {
            bgr.data().get(px, 0, plane * 3);
        }
        // The Mat's bytes are B, G, R: RGB takes the third byte of each pixel for the first channel.
        int first = order == ChannelOrder.RGB ? 2 : 0;
        int last = 2 - first;
        int p = 0;
        for (int y = 0; y < h; y++) {
            int t = offset + 3 * y;
            for (int x = 0; x < w; x++, p += 3, t += 3 * h) {
                dst[t] = NORMALISED[px[p + first] & 0xFF];
                dst[t + 1] = NORMALISED[px[p + 1] & 0xFF];
                dst[t + 2] = NORMALISED[px[p + last] & 0xFF];
            }
        }
    }

    /**
     * Samples the box (MTCNN's 1-based, inclusive corners) into a {@code size x size} patch at {@code offset}:
     * the part outside the image is black, as in the reference implementation, and the patch is resized
     * bilinearly (as MODELS.md and the reference implementation do).
     */
    static void packCrop(Mat image, ChannelOrder order, int bx1, int by1, int bx2, int by2, int size, float[] dst, int offset,
                         byte[] scratch) {
        int left = bx1 - 1;
        int top = by1 - 1;
        int right = bx2 - 1;
        int bottom = by2 - 1;
        int sx0 = Math.max(left, 0);
        int sy0 = Math.max(top, 0);
        int sx1 = Math.min(right, image.cols() - 1);
        int sy1 = Math.min(bottom, image.rows() - 1);
        if (sx0 > sx1 || sy0 > sy1) {
            java.util.Arrays.fill(dst, offset, offset + 3 * size * size, NORMALISED[0]);
            return;
        }
        try (Rect r = new Rect(sx0, sy0, sx1 - sx0 + 1, sy1 - sy0 + 1);
             Mat roi = new Mat(image, r);
             Mat patch = new Mat();
             Size target = new Size(size, size)) {
            if (sx0 != left || sy0 != top || sx1 != right || sy1 != bottom) {
                try (Mat padded = new Mat(); Scalar black = new Scalar(0, 0, 0, 0)) {
                    copyMakeBorder(roi, padded, sy0 - top, bottom - sy1, sx0 - left, right - sx1,
                            BORDER_CONSTANT, black);
                    resize(padded, patch, target, 0, 0, INTER_LINEAR);
                }
            } else {
                resize(roi, patch, target, 0, 0, INTER_LINEAR);
            }
            pack(patch, order, dst, offset, scratch);
        }
    }
}
