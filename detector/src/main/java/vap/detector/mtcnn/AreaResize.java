package vap.detector.mtcnn;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;

/**
 * OpenCV's {@code INTER_AREA} shrink of an 8-bit, 3-channel image by a non-integer factor, computed in Java with
 * OpenCV's arithmetic step for step (the same weight tables, the same float additions in the same order, the same
 * rounding), so the pixels are identical ({@code AreaResizeTest} compares them with {@code cv::resize}). OpenCV
 * accumulates each output pixel through memory, one dependent load-add-store per source pixel; here the sums stay
 * in registers: the pyramid's first level and the large-face levels (the whole frame shrunk four times) took 4.4 of
 * a frame's 33 ms of CPU at 640x480 and min face 40 in OpenCV.
 *
 * <p>Only OpenCV's general area path is reproduced: {@link #handles} says no for integer factors (OpenCV's
 * separate fast path) and for enlarging, where the caller keeps OpenCV.
 */
final class AreaResize {
    private static final int CHANNELS = 3;
    /** Each byte value as a float: one table load instead of a conversion in the innermost loop. */
    private static final float[] VALUE = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            VALUE[v] = v;
        }
    }

    private AreaResize() {
    }

    /** {@code cv::resize(src, INTER_AREA)} of BGR bytes: in Java where {@link #handles} says so, else by OpenCV. */
    static byte[] resize(byte[] src, int srcWidth, int srcHeight, int dstWidth, int dstHeight) {
        byte[] dst = new byte[dstWidth * dstHeight * CHANNELS];
        if (handles(srcWidth, srcHeight, dstWidth, dstHeight)) {
            shrink(src, srcWidth, srcHeight, dst, dstWidth, dstHeight);
            return dst;
        }
        try (Mat in = new Mat(srcHeight, srcWidth, CV_8UC3); Mat out = new Mat(); Size size = new Size(dstWidth, dstHeight)) {
            in.data().put(src, 0, src.length);
            org.bytedeco.opencv.global.opencv_imgproc.resize(in, out, size, 0, 0, INTER_AREA);
            out.data().get(dst, 0, dst.length);
        }
        return dst;
    }

    /** Whether OpenCV would take its general area path for this shrink (as {@code cv::hal::resize} decides). */
    static boolean handles(int srcWidth, int srcHeight, int dstWidth, int dstHeight) {
        double scaleX = 1.0 / ((double) dstWidth / srcWidth);
        double scaleY = 1.0 / ((double) dstHeight / srcHeight);
        if (scaleX < 1 || scaleY < 1 || (srcWidth == dstWidth && srcHeight == dstHeight)) {
            return false;
        }
        boolean integer = Math.abs(scaleX - saturateInt(scaleX)) < Math.ulp(1.0)
                && Math.abs(scaleY - saturateInt(scaleY)) < Math.ulp(1.0);
        return !integer;
    }

    /** {@code src} (BGR bytes, rows of {@code srcWidth}) shrunk into {@code dst}; only when {@link #handles}. */
    static void shrink(byte[] src, int srcWidth, int srcHeight, byte[] dst, int dstWidth, int dstHeight) {
        Table x = Table.of(srcWidth, dstWidth, CHANNELS, 1.0 / ((double) dstWidth / srcWidth));
        Table y = Table.of(srcHeight, dstHeight, 1, 1.0 / ((double) dstHeight / srcHeight));
        int row = dstWidth * CHANNELS;
        int srcRow = srcWidth * CHANNELS;
        // A source row on the border of two output rows has an entry for each; its sums are the same, so each
        // distinct row is walked once (a quarter fewer walks for the pyramid's first level).
        int[] rows = new int[y.size];
        int distinct = 0;
        for (int j = 0; j < y.size; j++) {
            if (distinct == 0 || rows[distinct - 1] != y.si[j]) {
                rows[distinct++] = y.si[j];
            }
        }
        float[] buf = new float[row];
        float[] next = new float[row];
        float[] sum = new float[row];
        int prevDy = y.di[0];
        int walked = -1;
        for (int j = 0, r = -1; j < y.size; j++) {
            if (r < 0 || rows[r] != y.si[j]) {
                r++;
            }
            if (r > walked) {
                // Two source rows per table walk: twice the independent sums in flight, the same values.
                int second = r + 1 < distinct ? rows[r + 1] : rows[r];
                horizontal(src, rows[r] * srcRow, second * srcRow, x, buf, next);
                walked = r + 1;
            }
            float[] b = r == walked - 1 ? buf : next;
            float beta = y.alpha[j];
            int dy = y.di[j];
            if (dy != prevDy) {
                store(sum, dst, prevDy * row);
                for (int i = 0; i < row; i++) {
                    sum[i] = beta * b[i];
                }
                prevDy = dy;
            } else {
                for (int i = 0; i < row; i++) {
                    sum[i] += beta * b[i];
                }
            }
        }
        store(sum, dst, prevDy * row);
    }

    /** Two source rows into {@code a} and {@code b}: each output pixel's weighted sum, in the table's order, from 0. */
    private static void horizontal(byte[] src, int rowA, int rowB, Table x, float[] a, float[] b) {
        int[] offsets = x.si;
        float[] weights = x.alpha;
        int[] ends = x.end;
        int k = 0;
        for (int dx = 0, o = 0; dx < ends.length; dx++, o += CHANNELS) {
            float a0 = 0f;
            float a1 = 0f;
            float a2 = 0f;
            float b0 = 0f;
            float b1 = 0f;
            float b2 = 0f;
            for (int end = ends[dx]; k < end; k++) {
                int sa = rowA + offsets[k];
                int sb = rowB + offsets[k];
                float w = weights[k];
                a0 = a0 + VALUE[src[sa] & 0xFF] * w;
                a1 = a1 + VALUE[src[sa + 1] & 0xFF] * w;
                a2 = a2 + VALUE[src[sa + 2] & 0xFF] * w;
                b0 = b0 + VALUE[src[sb] & 0xFF] * w;
                b1 = b1 + VALUE[src[sb + 1] & 0xFF] * w;
                b2 = b2 + VALUE[src[sb + 2] & 0xFF] * w;
            }
            a[o] = a0;
            a[o + 1] = a1;
            a[o + 2] = a2;
            b[o] = b0;
            b[o + 1] = b1;
            b[o + 2] = b2;
        }
    }

    /** OpenCV's saturate_cast to 8 bits: round half to even (cvRound), then clamp. */
    private static void store(float[] sum, byte[] dst, int at) {
        for (int i = 0; i < sum.length; i++) {
            int v = (int) Math.rint(sum[i]);
            dst[at + i] = (byte) Math.max(0, Math.min(255, v));
        }
    }

    /** OpenCV's saturate_cast to int of a double: round half to even, clamp to the int range. */
    private static int saturateInt(double v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.rint(v)));
    }

    /**
     * OpenCV's {@code computeResizeAreaTab}: for each output pixel, the source pixels it covers (as offsets of
     * {@code cn} values) and their weights; {@code end[d]} is where output pixel {@code d}'s entries end.
     */
    private record Table(int size, int outputs, int[] di, int[] si, float[] alpha, int[] end) {
        static Table of(int srcSize, int dstSize, int cn, double scale) {
            int[] di = new int[srcSize * 2];
            int[] si = new int[srcSize * 2];
            float[] alpha = new float[srcSize * 2];
            int[] end = new int[dstSize];
            int k = 0;
            for (int d = 0; d < dstSize; d++) {
                double fs1 = d * scale;
                double fs2 = fs1 + scale;
                double cellWidth = Math.min(scale, srcSize - fs1);
                int s1 = (int) Math.ceil(fs1);
                int s2 = (int) Math.floor(fs2);
                s2 = Math.min(s2, srcSize - 1);
                s1 = Math.min(s1, s2);
                if (s1 - fs1 > 1e-3) {
                    di[k] = d;
                    si[k] = (s1 - 1) * cn;
                    alpha[k++] = (float) ((s1 - fs1) / cellWidth);
                }
                for (int s = s1; s < s2; s++) {
                    di[k] = d;
                    si[k] = s * cn;
                    alpha[k++] = (float) (1.0 / cellWidth);
                }
                if (fs2 - s2 > 1e-3) {
                    di[k] = d;
                    si[k] = s2 * cn;
                    alpha[k++] = (float) (Math.min(Math.min(fs2 - s2, 1.0), cellWidth) / cellWidth);
                }
                end[d] = k;
            }
            return new Table(k, dstSize, di, si, alpha, end);
        }
    }
}
