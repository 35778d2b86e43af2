package vap.detector.mtcnn;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Moves pixels from OpenCV Mats into the float layout the networks take ({@link NetInput}): transposed
 * (x before y), channels last, in the {@link ChannelOrder} asked for (RGB or BGR) from an 8-bit BGR Mat,
 * {@code (v - 127.5) / 128}. OpenCV does every resize ({@link CropSampler} for the crops); Java only reorders.
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
        byte[] px = scratch.length >= w * h * 3 ? scratch : new byte[w * h * 3];
        read(bgr, px);
        pack(px, w, h, order, dst, offset);
    }

    /** The BGR bytes of an 8-bit, 3-channel Mat, row by row. */
    static byte[] bytes(Mat bgr) {
        byte[] px = new byte[bgr.cols() * bgr.rows() * 3];
        read(bgr, px);
        return px;
    }

    private static void read(Mat bgr, byte[] px) {
        int n = bgr.cols() * bgr.rows() * 3;
        if (!bgr.isContinuous()) {
            try (Mat copy = bgr.clone()) {
                copy.data().get(px, 0, n);
            }
        } else {
            bgr.data().get(px, 0, n);
        }
    }

    /** Writes {@code w x h} BGR bytes (row by row) at {@code offset} as width x height x 3 values, in {@code order}. */
    static void pack(byte[] px, int w, int h, ChannelOrder order, float[] dst, int offset) {
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

    /** Writes {@code count} values of black (pixel value 0) at {@code offset}. */
    static void fillBlack(float[] dst, int offset, int count) {
        java.util.Arrays.fill(dst, offset, offset + count, NORMALISED[0]);
    }
}
