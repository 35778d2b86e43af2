package vap.photos.evaldetect;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import vap.vision.face.DetectedFace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * {@code --annotate}: every image with a missed face or a false detection, drawn for checking by eye (labelled box
 * green, the face's upright box dark green, matched detections blue, false ones red with their score and best
 * overlap, missed faces yellow), plus a close-up of each miss and false detection.
 */
final class OutcomeDrawing {
    private static final Scalar LABEL = new Scalar(0, 220, 0, 0);
    private static final Scalar UPRIGHT = new Scalar(0, 120, 0, 0);
    private static final Scalar MATCHED = new Scalar(255, 120, 0, 0);
    private static final Scalar FALSE = new Scalar(0, 0, 255, 0);
    private static final Scalar MISSED = new Scalar(0, 255, 255, 0);
    /** Close-ups are at least this many pixels wide, so a 20 px face can be judged. */
    private static final int CLOSE_UP = 240;

    private OutcomeDrawing() {
    }

    static void write(Path folder, LabelledImage image, DetectionScore.Outcome outcome) throws IOException {
        if (outcome.clean()) {
            return;
        }
        Files.createDirectories(folder);
        String stem = (image.set() + "-" + image.name()).replaceAll("[^A-Za-z0-9._-]", "_");
        try (Mat clean = image.image().clone(); Mat drawn = image.image().clone()) {
            int thickness = Math.max(1, Math.max(drawn.cols(), drawn.rows()) / 500);
            for (int t = 0; t < image.faces().size(); t++) {
                TruthFace f = image.faces().get(t);
                boolean missed = outcome.missedFaces().contains(t);
                box(drawn, f.x1(), f.y1(), f.x2(), f.y2(), missed ? MISSED : LABEL, thickness);
                double cx = (f.x1() + f.x2()) / 2;
                double cy = (f.y1() + f.y2()) / 2;
                if (f.rotation() != 0) {
                    box(drawn, cx - f.side() / 2, cy - f.side() / 2, cx + f.side() / 2, cy + f.side() / 2, UPRIGHT, 1);
                }
                if (missed) {
                    closeUp(clean, f.x1(), f.y1(), f.x2(), f.y2(), folder.resolve(String.format(Locale.ROOT,
                            "%s-missed%d-%.0fpx-roll%.0f.png", stem, t, f.side(), f.rotation())));
                }
            }
            for (int i = 0; i < outcome.detections().size(); i++) {
                DetectedFace d = outcome.detections().get(i);
                boolean isFalse = outcome.matchedFace().get(i) < 0;
                box(drawn, d.x1(), d.y1(), d.x2(), d.y2(), isFalse ? FALSE : MATCHED, thickness);
                String text = String.format(Locale.ROOT, "%.2f iou %.2f", d.score(), outcome.overlaps().get(i));
                try (Point at = new Point((int) d.x1(), (int) Math.max(12, d.y2() + 12))) {
                    putText(drawn, text, at, FONT_HERSHEY_SIMPLEX, 0.4 * thickness, isFalse ? FALSE : MATCHED,
                            thickness, LINE_AA, false);
                }
                if (isFalse) {
                    closeUp(clean, d.x1(), d.y1(), d.x2(), d.y2(), folder.resolve(String.format(Locale.ROOT,
                            "%s-false%d-score%.2f-iou%.2f.png", stem, i, d.score(), outcome.overlaps().get(i))));
                }
            }
            imwrite(folder.resolve(stem + ".png").toString(), drawn);
        }
    }

    private static void box(Mat m, double x1, double y1, double x2, double y2, Scalar colour, int thickness) {
        try (Point a = new Point((int) Math.round(x1), (int) Math.round(y1));
             Point b = new Point((int) Math.round(x2) - 1, (int) Math.round(y2) - 1)) {
            rectangle(m, a, b, colour, thickness, LINE_AA, 0);
        }
    }

    /** The box with one box-size of context on each side (black beyond the image), scaled up if small. */
    private static void closeUp(Mat image, double x1, double y1, double x2, double y2, Path file) {
        double w = x2 - x1;
        double h = y2 - y1;
        int pad = (int) Math.ceil(Math.max(w, h)) + 2;
        try (Mat padded = new Mat(); Scalar black = Scalar.all(0)) {
            copyMakeBorder(image, padded, pad, pad, pad, pad, BORDER_CONSTANT, black);
            int rx = (int) Math.floor(x1 - w) + pad;
            int ry = (int) Math.floor(y1 - h) + pad;
            int rw = Math.max(1, Math.min(padded.cols() - Math.max(0, rx), (int) Math.ceil(3 * w)));
            int rh = Math.max(1, Math.min(padded.rows() - Math.max(0, ry), (int) Math.ceil(3 * h)));
            try (Rect r = new Rect(Math.max(0, rx), Math.max(0, ry), rw, rh); Mat crop = new Mat(padded, r);
                 Mat out = new Mat()) {
                double k = Math.max(1, (double) CLOSE_UP / rw);
                try (Size size = new Size((int) Math.round(rw * k), (int) Math.round(rh * k))) {
                    resize(crop, out, size, 0, 0, INTER_LINEAR);
                }
                imwrite(file.toString(), out);
            }
        }
    }
}
