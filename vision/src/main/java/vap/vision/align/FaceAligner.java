package vap.vision.align;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;

import static org.bytedeco.opencv.global.opencv_calib3d.RANSAC;
import static org.bytedeco.opencv.global.opencv_calib3d.estimateAffinePartial2D;
import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

/**
 * Cuts the two crops the recognizer needs from a detected face.
 *
 * <ul>
 *   <li>{@link #alignedCrop}: a 150 x 150 "face chip" as dlib's ResNet face descriptor expects it
 *       ({@code get_face_chip_details(shape, 150, 0.25)}): a similarity transform (rotation, uniform scale,
 *       translation) maps the five MTCNN landmarks onto where dlib's mean face puts the eye centres, nose tip and
 *       mouth corners in such a chip, the template optionally scaled about the chip's centre (a larger or smaller
 *       face; 1 by default: 0.9 was worse on LFW DevTrain, 1.1 separated slightly better but lost pair accuracy,
 *       README "Recognition accuracy"). Outside the image is black, as in dlib.</li>
 *   <li>{@link #ageCrop}: the box with a margin of 0.4 of its size on every side, clipped to the image and
 *       resized to 64 x 64, as the SSR-Net demo the seed tutorial follows feeds its age model.</li>
 * </ul>
 *
 * Both return a new 8-bit BGR Mat the caller closes. Immutable and thread-safe.
 */
public final class FaceAligner {
    public static final int CHIP_SIZE = 150;
    public static final int AGE_CROP_SIZE = 64;
    public static final double AGE_MARGIN = 0.4;
    /** How much larger than dlib's padding-0.25 template the face is drawn in the chip (chosen on LFW DevTrain). */
    public static final double DEFAULT_FACE_SCALE = 1.0;

    /**
     * Where the five landmarks sit in a 150 x 150 dlib chip with padding 0.25: dlib's mean face shape
     * (points 17-67 of the 68-point model, {@code dlib/image_transforms/interpolation.h}) mapped by
     * {@code (p + 0.25) / 1.5 * 150}; eye centres are the means of the six eye-contour points, the nose tip is
     * point 30, the mouth corners points 48 and 54.
     */
    private static final float[] CHIP_LANDMARKS_X = {47.5492f, 100.4761f, 74.0127f, 50.4149f, 97.6104f};
    private static final float[] CHIP_LANDMARKS_Y = {46.5990f, 46.5990f, 76.5625f, 103.0233f, 103.0233f};

    private final double faceScale;

    /** The aligner every producer of chips uses (detector service, enrolment, eval): the default face scale. */
    public FaceAligner() {
        this(DEFAULT_FACE_SCALE);
    }

    /** {@code faceScale}: the template scaled about the chip's centre (1 = dlib's padding 0.25; more = larger face). */
    public FaceAligner(double faceScale) {
        if (!(faceScale >= 0.5 && faceScale <= 2)) {
            throw new IllegalArgumentException("face scale must be in [0.5, 2], got " + faceScale);
        }
        this.faceScale = faceScale;
    }

    public double faceScale() {
        return faceScale;
    }

    /** Where landmark {@code i} (see {@link DetectedFace}) sits in a chip of the default aligner. */
    public static Landmark chipLandmark(int i) {
        return chipLandmark(i, DEFAULT_FACE_SCALE);
    }

    private static Landmark chipLandmark(int i, double scale) {
        float c = CHIP_SIZE / 2f;
        return new Landmark((float) (c + (CHIP_LANDMARKS_X[i] - c) * scale), (float) (c + (CHIP_LANDMARKS_Y[i] - c) * scale));
    }

    /** A threshold no landmark misses: every point is an inlier and the fit is least squares over all five. */
    private static final double ALL_INLIERS_PX = 1e4;
    private static final long RANSAC_ITERATIONS = 2000;
    private static final double RANSAC_CONFIDENCE = 0.99;
    private static final long REFINE_ITERATIONS = 10;

    /** The aligned 150 x 150 BGR face chip; a face whose landmarks admit no transform gets its box, resized. */
    public Mat alignedCrop(Mat bgr, DetectedFace face) {
        Mat chip = new Mat();
        try (Mat from = points(face); Mat to = chipPoints(); Mat inliers = new Mat();
             Mat transform = estimateAffinePartial2D(from, to, inliers, RANSAC, ALL_INLIERS_PX, RANSAC_ITERATIONS,
                     RANSAC_CONFIDENCE, REFINE_ITERATIONS);
             Size size = new Size(CHIP_SIZE, CHIP_SIZE);
             Scalar black = new Scalar(0, 0, 0, 0)) {
            if (transform.empty()) {
                // Collinear or coincident landmarks: no similarity transform exists, the box is the best we have.
                try (Mat box = boxCrop(bgr, face.x1(), face.y1(), face.x2(), face.y2())) {
                    resize(box, chip, size, 0, 0, INTER_LINEAR);
                }
            } else {
                warpAffine(bgr, chip, transform, size, INTER_LINEAR, BORDER_CONSTANT, black);
            }
        }
        return chip;
    }

    /** The 64 x 64 BGR crop of the box plus a 0.4 margin on each side, clipped to the image. */
    public Mat ageCrop(Mat bgr, DetectedFace face) {
        float w = face.width();
        float h = face.height();
        Mat crop = new Mat();
        try (Mat region = boxCrop(bgr, face.x1() - (float) AGE_MARGIN * w, face.y1() - (float) AGE_MARGIN * h,
                face.x2() + (float) AGE_MARGIN * w, face.y2() + (float) AGE_MARGIN * h);
             Size size = new Size(AGE_CROP_SIZE, AGE_CROP_SIZE)) {
            resize(region, crop, size, 0, 0, INTER_LINEAR);
        }
        return crop;
    }

    /** A view of the pixels inside [x1, x2) x [y1, y2), clipped to the image (never empty). */
    private static Mat boxCrop(Mat bgr, float x1, float y1, float x2, float y2) {
        int left = clamp((int) Math.floor(x1), bgr.cols() - 1);
        int top = clamp((int) Math.floor(y1), bgr.rows() - 1);
        int right = clamp((int) Math.ceil(x2), bgr.cols());
        int bottom = clamp((int) Math.ceil(y2), bgr.rows());
        try (Rect r = new Rect(left, top, Math.max(1, right - left), Math.max(1, bottom - top))) {
            return new Mat(bgr, r);
        }
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(v, max));
    }

    private static Mat points(DetectedFace face) {
        float[] xy = new float[2 * DetectedFace.LANDMARK_COUNT];
        for (int i = 0; i < DetectedFace.LANDMARK_COUNT; i++) {
            Landmark p = face.landmark(i);
            xy[2 * i] = p.x();
            xy[2 * i + 1] = p.y();
        }
        return pointMat(xy);
    }

    private Mat chipPoints() {
        float[] xy = new float[2 * DetectedFace.LANDMARK_COUNT];
        for (int i = 0; i < DetectedFace.LANDMARK_COUNT; i++) {
            Landmark p = chipLandmark(i, faceScale);
            xy[2 * i] = p.x();
            xy[2 * i + 1] = p.y();
        }
        return pointMat(xy);
    }

    private static Mat pointMat(float[] xy) {
        Mat m = new Mat(xy.length / 2, 1, CV_32FC2);
        // A view of the Mat's own buffer (no ownership): the Mat frees the memory.
        new FloatPointer(m.data()).put(xy);
        return m;
    }
}
