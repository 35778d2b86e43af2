package vap.detector.quality;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import vap.messages.FaceQuality;
import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.meanStdDev;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.Laplacian;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

/**
 * How useful a face crop is for recognition, measured on the detection and its aligned chip (detector/README.md
 * "Face quality"): eye distance, sharpness of the inner face, yaw and roll from the landmarks, the detection
 * score, and their product as one value in 0..1. Stateless and thread-safe.
 */
public final class FaceQualityMeter {
    /**
     * Nose-tip depth in front of the eyes relative to the eye distance (about 0.5 on adult faces): a head turned by
     * yaw moves the projected nose off the eye midline by 0.5 x tan(yaw) eye distances.
     */
    private static final double NOSE_DEPTH = 0.5;
    /** The inner half of the chip: eyes, nose and mouth, without hair and background edges. */
    private static final double INNER = 0.5;

    private final QualityConfig config;

    public FaceQualityMeter(QualityConfig config) {
        this.config = config;
    }

    /** The quality of {@code face} whose aligned chip (BGR) is {@code chip}. */
    public FaceQuality measure(DetectedFace face, Mat chip) {
        Landmark left = face.landmark(DetectedFace.LEFT_EYE);
        Landmark right = face.landmark(DetectedFace.RIGHT_EYE);
        Landmark nose = face.landmark(DetectedFace.NOSE);
        double ex = right.x() - left.x();
        double ey = right.y() - left.y();
        double eyeDistance = Math.hypot(ex, ey);
        double roll = Math.toDegrees(Math.atan2(ey, ex));
        double yaw = 0;
        if (eyeDistance > 0) {
            // Signed offset of the nose from the eye midline along the eye line, in eye distances.
            double mx = (left.x() + right.x()) / 2.0;
            double my = (left.y() + right.y()) / 2.0;
            double offset = ((nose.x() - mx) * ex + (nose.y() - my) * ey) / (eyeDistance * eyeDistance);
            yaw = Math.toDegrees(Math.atan(offset / NOSE_DEPTH));
        }
        double variance = laplacianVariance(chip);
        double sharpness = variance / (variance + config.sharpnessScale());
        double sizeTerm = Math.min(1, eyeDistance / config.goodEyeDistance());
        double poseTerm = Math.pow(Math.cos(Math.toRadians(yaw)), 2);
        double score = Math.max(0, Math.min(1, face.score()));
        double value = sizeTerm * sharpness * poseTerm * score;
        return FaceQuality.newBuilder()
                .setFaceSize((float) eyeDistance)
                .setSharpness((float) sharpness)
                .setYaw((float) yaw)
                .setRoll((float) roll)
                .setDetectionScore(face.score())
                .setValue((float) Math.max(0, Math.min(1, value)))
                .build();
    }

    /** Variance of the Laplacian of the grey inner chip: high for sharp edges, low for blur and upscaled faces. */
    static double laplacianVariance(Mat chip) {
        int w = (int) Math.round(chip.cols() * INNER);
        int h = (int) Math.round(chip.rows() * INNER);
        try (Rect inner = new Rect((chip.cols() - w) / 2, (chip.rows() - h) / 2, w, h);
             Mat roi = new Mat(chip, inner);
             Mat grey = new Mat();
             Mat laplacian = new Mat();
             Mat mean = new Mat();
             Mat std = new Mat()) {
            cvtColor(roi, grey, COLOR_BGR2GRAY);
            Laplacian(grey, laplacian, CV_64F);
            meanStdDev(laplacian, mean, std);
            try (DoubleIndexer idx = std.createIndexer()) {
                double s = idx.get(0);
                return s * s;
            }
        }
    }
}
