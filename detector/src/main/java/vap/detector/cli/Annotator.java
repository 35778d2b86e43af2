package vap.detector.cli;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;

import java.util.List;
import java.util.Locale;

import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

/** Draws detections onto an image: the box, its score above it, and the five landmarks. */
final class Annotator {
    private static final Scalar BOX = new Scalar(0, 255, 0, 0);
    private static final Scalar[] LANDMARK_COLOURS = {
            new Scalar(255, 0, 0, 0), new Scalar(0, 0, 255, 0), new Scalar(0, 255, 255, 0),
            new Scalar(255, 0, 255, 0), new Scalar(255, 255, 0, 0)};

    private Annotator() {
    }

    /** Draws on {@code image} in place. Line widths grow with the image so they stay visible. */
    static void draw(Mat image, List<DetectedFace> faces) {
        int thickness = Math.max(1, Math.max(image.cols(), image.rows()) / 400);
        for (DetectedFace f : faces) {
            try (Point tl = new Point(Math.round(f.x1()), Math.round(f.y1()));
                 Point br = new Point(Math.round(f.x2()), Math.round(f.y2()));
                 Point label = new Point(Math.round(f.x1()), Math.max(12, Math.round(f.y1()) - 4))) {
                rectangle(image, tl, br, BOX, thickness, LINE_AA, 0);
                putText(image, String.format(Locale.ROOT, "%.3f", f.score()), label, FONT_HERSHEY_SIMPLEX,
                        0.4 * thickness, BOX, thickness, LINE_AA, false);
            }
            for (int i = 0; i < DetectedFace.LANDMARK_COUNT; i++) {
                Landmark p = f.landmark(i);
                try (Point c = new Point(Math.round(p.x()), Math.round(p.y()))) {
                    circle(image, c, thickness + 1, LANDMARK_COLOURS[i], FILLED, LINE_AA, 0);
                }
            }
        }
    }
}
