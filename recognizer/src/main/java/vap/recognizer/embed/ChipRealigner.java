package vap.recognizer.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import vap.vision.align.FaceAligner;
import vap.vision.image.FacePixels;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

/**
 * Re-aligns a 5-point face chip (150x150, {@link FaceAligner#alignedCrop}) on 68 points: the landmark net finds
 * the 68 points inside the chip, a least-squares similarity maps dlib's alignment points among them (nose, eyes,
 * upper and inner lip, as dlib's {@code get_face_chip_details}) onto where dlib's mean face puts them in a
 * padding-0.25 chip, and the chip is warped by it (near the identity; the border replicated, since the photo is
 * not at hand). The 68-point chip with the mirror separated LFW View 1 best (docs/experiments/issue-11-alignment).
 * The net looks at a fixed square of the chip: where the MTCNN box of the face lands in a 5-point chip (mean over
 * LFW DevTrain's 1,060 faces: centre (72.4, 63.9), side 153.7), so it sees the face framed as it was trained.
 * A fit that would rotate, scale or shift the chip implausibly far (the net did not find a face) leaves it as is.
 */
public final class ChipRealigner implements AutoCloseable {
    static final int CHIP = FaceAligner.CHIP_SIZE;
    /** The landmark net's square in chip pixels: left, top, side (reaches 4 px left and 13 px above the chip). */
    static final int BOX_LEFT = -4;
    static final int BOX_TOP = -13;
    static final int BOX_SIDE = 154;
    /** Beyond these the 68 points are not a face's: keep the 5-point chip. */
    static final double MAX_SCALE_CHANGE = 0.25;
    static final double MAX_ROTATION_RAD = Math.toRadians(25);
    static final double MAX_CENTRE_SHIFT_PX = 25;

    /**
     * dlib's mean face (shape_predictor's 68-point model, points 17-67, {@code dlib/image_transforms/interpolation.h}),
     * in units of the face's size; a chip with padding 0.25 puts point p at {@code (p + 0.25) / 1.5 * 150}.
     */
    private static final double[] MEAN_FACE_X = {
            0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124,
            0.904991, 0.98004, 0.490127, 0.490127, 0.490127, 0.490127, 0.36688, 0.426036,
            0.490127, 0.554217, 0.613373, 0.121737, 0.187122, 0.265825, 0.334606, 0.260918,
            0.182743, 0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335, 0.254149,
            0.340985, 0.428858, 0.490127, 0.551395, 0.639268, 0.726104, 0.642159, 0.556721,
            0.490127, 0.423532, 0.338094, 0.290379, 0.428096, 0.490127, 0.552157, 0.689874,
            0.553364, 0.490127, 0.42689};
    private static final double[] MEAN_FACE_Y = {
            0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891,
            0.0187482, 0.038915, 0.106454, 0.203352, 0.307009, 0.409805, 0.515625, 0.587326,
            0.609345, 0.628106, 0.609345, 0.587326, 0.216423, 0.178758, 0.179852, 0.231733,
            0.245099, 0.244077, 0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099,
            0.780233, 0.745405, 0.727388, 0.742578, 0.727388, 0.745405, 0.780233, 0.864805,
            0.902192, 0.909281, 0.902192, 0.864805, 0.784792, 0.778746, 0.785343, 0.778746,
            0.784792, 0.824182, 0.831803, 0.824182};
    /** The points dlib aligns on: 27-67 without the lower lip (55-59, 65-67); no brows, no jaw. */
    static final int[] ALIGNMENT_POINTS = alignmentPoints();

    private final FaceLandmarkNet net;

    /** Takes ownership of {@code net}. */
    public ChipRealigner(FaceLandmarkNet net) {
        this.net = net;
    }

    /** A similarity x' = a x - b y + tx, y' = b x + a y + ty (chip pixels to chip pixels). */
    public record Similarity(double a, double b, double tx, double ty) {
        public double scale() {
            return Math.hypot(a, b);
        }

        public double rotation() {
            return Math.atan2(b, a);
        }

        public double[] apply(double x, double y) {
            return new double[] {a * x - b * y + tx, b * x + a * y + ty};
        }

        /** Whether it keeps the chip's face where it was, within the limits above (the 68 points are a face's). */
        boolean plausible() {
            double[] c = apply(CHIP / 2.0, CHIP / 2.0);
            return Math.abs(scale() - 1) <= MAX_SCALE_CHANGE && Math.abs(rotation()) <= MAX_ROTATION_RAD
                    && Math.hypot(c[0] - CHIP / 2.0, c[1] - CHIP / 2.0) <= MAX_CENTRE_SHIFT_PX;
        }
    }

    /** Where dlib's mean face puts point {@code i} (0..67, 17 and up) in a 150x150 padding-0.25 chip. */
    public static double[] templatePoint(int i) {
        return new double[] {(0.25 + MEAN_FACE_X[i - 17]) / 1.5 * CHIP, (0.25 + MEAN_FACE_Y[i - 17]) / 1.5 * CHIP};
    }

    /** The 68 points (x, y interleaved) of each 150x150 chip, in chip pixels; one forward pass for all. */
    public List<float[]> landmarks(List<Mat> chips) {
        int n = chips.size();
        int s = FaceLandmarkNet.INPUT_SIZE;
        int plane = s * s;
        float[] input = new float[n * 3 * plane];
        for (int i = 0; i < n; i++) {
            byte[] bgr = netInput(chips.get(i));
            // (x - mean) / 255 as face-api.js normalises for this net.
            ChannelsLastInput.pack(bgr, s, FaceLandmarkNet.MEAN_RGB, FaceLandmarkNet.SCALE, false, input, i * 3 * plane);
        }
        float[] raw;
        try (NDManager pass = net.newPassManager()) {
            // [N, 3, 112, 112] stored channels-last, as the net's filters: a view, no copy.
            NDArray x = pass.create(FloatBuffer.wrap(input), new Shape(n, s, s, 3)).transpose(0, 3, 1, 2);
            raw = net.forward(x).toFloatArray();
        }
        int d = 2 * FaceLandmarkNet.POINTS;
        List<float[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] pts = new float[d];
            for (int j = 0; j < d; j++) {
                pts[j] = raw[i * d + j] * BOX_SIDE + (j % 2 == 0 ? BOX_LEFT : BOX_TOP);
            }
            out.add(pts);
        }
        return out;
    }

    /** Each chip re-warped onto the 68-point template (new Mats the caller closes); one forward pass for all. */
    public List<Mat> realign(List<Mat> chips) {
        List<Mat> square = new ArrayList<>(chips.size());
        for (Mat c : chips) {
            square.add(FacePixels.squareResized(c, CHIP));
        }
        List<float[]> points = landmarks(square);
        List<Mat> out = new ArrayList<>(chips.size());
        for (int i = 0; i < square.size(); i++) {
            Similarity fit = fit(points.get(i));
            Mat chip = new Mat();
            if (fit.plausible()) {
                warp(square.get(i), chip, fit);
            } else {
                square.get(i).copyTo(chip);
            }
            out.add(chip);
            if (square.get(i) != chips.get(i)) {
                square.get(i).close();
            }
        }
        return out;
    }

    /** The least-squares similarity from the chip's alignment points to the template's (Umeyama without reflection). */
    public static Similarity fit(float[] points) {
        int n = ALIGNMENT_POINTS.length;
        double mpx = 0;
        double mpy = 0;
        double mqx = 0;
        double mqy = 0;
        for (int i : ALIGNMENT_POINTS) {
            double[] q = templatePoint(i);
            mpx += points[2 * i];
            mpy += points[2 * i + 1];
            mqx += q[0];
            mqy += q[1];
        }
        mpx /= n;
        mpy /= n;
        mqx /= n;
        mqy /= n;
        double sxx = 0;
        double a = 0;
        double b = 0;
        for (int i : ALIGNMENT_POINTS) {
            double[] q = templatePoint(i);
            double x = points[2 * i] - mpx;
            double y = points[2 * i + 1] - mpy;
            double u = q[0] - mqx;
            double v = q[1] - mqy;
            sxx += x * x + y * y;
            a += x * u + y * v;
            b += x * v - y * u;
        }
        if (sxx < 1e-6) {
            return new Similarity(1, 0, 0, 0); // all points in one place: nothing to align on
        }
        a /= sxx;
        b /= sxx;
        return new Similarity(a, b, mqx - (a * mpx - b * mpy), mqy - (b * mpx + a * mpy));
    }

    private static void warp(Mat chip, Mat out, Similarity t) {
        try (Mat m = new Mat(2, 3, CV_64F); Size size = new Size(CHIP, CHIP); Scalar none = new Scalar(0.0)) {
            try (DoubleIndexer ix = m.createIndexer()) {
                ix.put(0, 0, t.a());
                ix.put(0, 1, -t.b());
                ix.put(0, 2, t.tx());
                ix.put(1, 0, t.b());
                ix.put(1, 1, t.a());
                ix.put(1, 2, t.ty());
            }
            warpAffine(chip, out, m, size, INTER_LINEAR, BORDER_REPLICATE, none);
        }
    }

    /** The net's square of the chip (edges replicated where it reaches outside), resized to 112x112, BGR bytes. */
    private static byte[] netInput(Mat chip) {
        int right = Math.max(0, BOX_LEFT + BOX_SIDE - CHIP);
        int bottom = Math.max(0, BOX_TOP + BOX_SIDE - CHIP);
        try (Mat padded = new Mat(); Scalar none = new Scalar(0.0)) {
            copyMakeBorder(chip, padded, -BOX_TOP, bottom, -BOX_LEFT, right, BORDER_REPLICATE, none);
            try (Rect r = new Rect(0, 0, BOX_SIDE, BOX_SIDE); Mat box = new Mat(padded, r); Mat small = new Mat();
                 Size size = new Size(FaceLandmarkNet.INPUT_SIZE, FaceLandmarkNet.INPUT_SIZE)) {
                resize(box, small, size, 0, 0, INTER_LINEAR);
                return FacePixels.bytes(small);
            }
        }
    }

    private static int[] alignmentPoints() {
        List<Integer> idx = new ArrayList<>();
        for (int i = 27; i < FaceLandmarkNet.POINTS; i++) {
            if (!((55 <= i && i <= 59) || (65 <= i && i <= 67))) {
                idx.add(i);
            }
        }
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public void close() {
        net.close();
    }
}
