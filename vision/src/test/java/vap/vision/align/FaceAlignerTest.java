package vap.vision.align;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;
import vap.vision.TestImages;
import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.getRotationMatrix2D;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The aligner's geometry without a detector: landmarks placed by a known similarity transform must give the chip
 * that transform cuts, a rotated photo the same chip, and the age crop the box with its margin. (The detector
 * module checks the chip of real detections: DetectedFaceAlignmentTest.)
 */
class FaceAlignerTest {
    private final FaceAligner aligner = new FaceAligner();

    /** Chip coordinates to photo coordinates: scale, rotation (degrees), translation. */
    record Similarity(double scale, double degrees, double tx, double ty) {
        Landmark apply(Landmark p) {
            double a = Math.toRadians(degrees);
            double c = scale * Math.cos(a);
            double s = scale * Math.sin(a);
            return new Landmark((float) (c * p.x() - s * p.y() + tx), (float) (s * p.x() + c * p.y() + ty));
        }

        Mat matrix() {
            double a = Math.toRadians(degrees);
            Mat m = new Mat(2, 3, CV_64F);
            try (DoubleIndexer i = m.createIndexer()) {
                i.put(0, 0, scale * Math.cos(a), -scale * Math.sin(a), tx);
                i.put(1, 0, scale * Math.sin(a), scale * Math.cos(a), ty);
            }
            return m;
        }
    }

    private static DetectedFace faceAt(Similarity t) {
        List<Landmark> landmarks = new ArrayList<>();
        for (int i = 0; i < DetectedFace.LANDMARK_COUNT; i++) {
            landmarks.add(t.apply(FaceAligner.chipLandmark(i)));
        }
        Landmark topLeft = t.apply(new Landmark(0, 0));
        return new DetectedFace(topLeft.x(), topLeft.y(), topLeft.x() + 150, topLeft.y() + 150, 0.99f, landmarks);
    }

    @Test
    void alignedChipIsThePhotoSeenThroughTheLandmarksSimilarity() {
        Similarity t = new Similarity(1.7, 25, 330, 120);
        try (Mat photo = TestImages.sample(1, 800); Mat expected = new Mat(); Mat transform = t.matrix();
             Size size = new Size(FaceAligner.CHIP_SIZE, FaceAligner.CHIP_SIZE);
             Mat chip = aligner.alignedCrop(photo, faceAt(t)); Mat diff = new Mat()) {
            warpAffine(photo, expected, transform, size, INTER_LINEAR | WARP_INVERSE_MAP, 0, new Scalar(0, 0, 0, 0));
            assertEquals(FaceAligner.CHIP_SIZE, chip.cols());
            assertEquals(FaceAligner.CHIP_SIZE, chip.rows());
            assertEquals(CV_8UC3, chip.type());
            absdiff(expected, chip, diff);
            try (Scalar m = mean(diff)) {
                double error = (m.get(0) + m.get(1) + m.get(2)) / 3;
                assertTrue(error < 1, "mean difference to the chip the transform cuts: " + error);
            }
        }
    }

    @Test
    void aLargerFaceScaleZoomsTheChipAboutItsCentre() {
        Similarity t = new Similarity(1.7, 25, 330, 120);
        FaceAligner larger = new FaceAligner(FaceAligner.DEFAULT_FACE_SCALE * 1.2);
        double c = FaceAligner.CHIP_SIZE / 2.0;
        // Zooming the default chip by 1.2 about its centre must give the chip of the larger face scale.
        Similarity zoom = new Similarity(1 / 1.2, 0, c - c / 1.2, c - c / 1.2);
        try (Mat photo = TestImages.sample(1, 800); Mat chip = aligner.alignedCrop(photo, faceAt(t));
             Mat zoomed = new Mat(); Mat transform = zoom.matrix(); Size size = new Size(FaceAligner.CHIP_SIZE, FaceAligner.CHIP_SIZE);
             Mat big = larger.alignedCrop(photo, faceAt(t)); Mat diff = new Mat()) {
            warpAffine(chip, zoomed, transform, size, INTER_LINEAR | WARP_INVERSE_MAP, 0, new Scalar(0, 0, 0, 0));
            absdiff(zoomed, big, diff);
            try (Scalar m = mean(diff)) {
                double error = (m.get(0) + m.get(1) + m.get(2)) / 3;
                assertTrue(error < 3, "mean difference to the zoomed default chip: " + error);
            }
            absdiff(chip, big, diff);
            try (Scalar m = mean(diff)) {
                double error = (m.get(0) + m.get(1) + m.get(2)) / 3;
                assertTrue(error > 3, "the larger face scale must change the chip: " + error);
            }
        }
    }

    @Test
    void faceScaleOutsideHalfToDoubleIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FaceAligner(0.3));
        assertThrows(IllegalArgumentException.class, () -> new FaceAligner(Double.NaN));
    }

    @Test
    void alignmentUndoesARotation() {
        // Rotate the photo and the landmarks by the same 20 degrees: the chips must come out the same.
        DetectedFace face = faceAt(new Similarity(1.2, -8, 300, 150));
        try (Mat photo = TestImages.sample(3, 800); Mat rotated = new Mat();
             Mat rotation = getRotationMatrix2D(new Point2f(400, photo.rows() / 2f), 20, 1.0);
             Size size = new Size(photo.cols(), photo.rows());
             DoubleIndexer m = rotation.createIndexer()) {
            warpAffine(photo, rotated, rotation, size);
            List<Landmark> turned = face.landmarks().stream().map(p -> new Landmark(
                    (float) (m.get(0, 0) * p.x() + m.get(0, 1) * p.y() + m.get(0, 2)),
                    (float) (m.get(1, 0) * p.x() + m.get(1, 1) * p.y() + m.get(1, 2)))).toList();
            DetectedFace turnedFace = new DetectedFace(face.x1(), face.y1(), face.x2(), face.y2(), face.score(), turned);
            try (Mat upright = aligner.alignedCrop(photo, face); Mat fromRotated = aligner.alignedCrop(rotated, turnedFace);
                 Mat diff = new Mat()) {
                absdiff(upright, fromRotated, diff);
                try (Scalar mean = mean(diff)) {
                    double error = (mean.get(0) + mean.get(1) + mean.get(2)) / 3;
                    assertTrue(error < 6, "mean difference between the chips: " + error);
                }
            }
        }
    }

    @Test
    void ageCropIsTheBoxWithFortyPercentMarginClippedToTheImage() {
        try (Mat image = TestImages.gradient(200, 100)) {
            // A 40 px box at the top-left corner: the margin (16 px) is cut off at the left and top.
            DetectedFace corner = new DetectedFace(0, 0, 40, 40, 0.99f, Collections.nCopies(5, new Landmark(20, 20)));
            try (Mat crop = aligner.ageCrop(image, corner); Mat expected = new Mat();
                 Mat region = new Mat(image, new Rect(0, 0, 56, 56)); Size size = new Size(64, 64)) {
                resize(region, expected, size, 0, 0, INTER_LINEAR);
                assertEquals(FaceAligner.AGE_CROP_SIZE, crop.cols());
                assertEquals(FaceAligner.AGE_CROP_SIZE, crop.rows());
                assertEquals(0, differingPixels(expected, crop), "crop of [0, 56) x [0, 56), resized");
            }
            // Inside the image the margin is kept on all sides: [60 - 16, 100 + 16) x [30 - 16, 70 + 16).
            DetectedFace inside = new DetectedFace(60, 30, 100, 70, 0.99f, Collections.nCopies(5, new Landmark(80, 50)));
            try (Mat crop = aligner.ageCrop(image, inside); Mat expected = new Mat();
                 Mat region = new Mat(image, new Rect(44, 14, 72, 72)); Size size = new Size(64, 64)) {
                resize(region, expected, size, 0, 0, INTER_LINEAR);
                assertEquals(0, differingPixels(expected, crop), "crop of [44, 116) x [14, 86), resized");
            }
        }
    }

    @Test
    void landmarksWithoutATransformFallBackToTheBox() {
        try (Mat image = TestImages.gradient(200, 100)) {
            DetectedFace collapsed = new DetectedFace(20, 20, 80, 80, 0.9f, Collections.nCopies(5, new Landmark(50, 50)));
            try (Mat chip = aligner.alignedCrop(image, collapsed)) {
                assertEquals(FaceAligner.CHIP_SIZE, chip.cols());
                assertEquals(FaceAligner.CHIP_SIZE, chip.rows());
                assertTrue(differingPixels(chip, new Mat(150, 150, CV_8UC3)) > 0, "not an empty chip");
            }
        }
    }

    private static int differingPixels(Mat a, Mat b) {
        try (Mat diff = new Mat(); Mat grey = new Mat()) {
            absdiff(a, b, diff);
            cvtColor(diff, grey, COLOR_BGR2GRAY);
            return countNonZero(grey);
        }
    }
}
