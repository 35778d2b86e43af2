package vap.photos;

import org.bytedeco.opencv.opencv_core.Mat;
import vap.core.config.Settings;
import vap.detector.service.DetectorConfig;
import vap.vision.align.FaceAligner;
import vap.vision.face.DetectedFace;
import vap.vision.image.ImageDecoder;
import vap.detector.mtcnn.MtcnnConfig;
import vap.detector.mtcnn.MtcnnDetector;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Faces in still photos (enrolment, the analyze command): decode any image mode to 8-bit BGR, detect with
 * MTCNN, cut the aligned crop and the age crop of each face, as the detector service does for video frames.
 * {@link #configured} runs MTCNN with the {@code detector.*} settings, so photos and video see the same detector.
 */
public final class PhotoFaces implements AutoCloseable {
    /** One face of a photo with its two crops; close it to free them. */
    public record Face(DetectedFace detection, Mat aligned, Mat ageCrop) implements AutoCloseable {
        @Override
        public void close() {
            aligned.close();
            ageCrop.close();
        }
    }

    /** How the embedding crop is cut: the landmark-aligned chip (default) or the box padded to a square. */
    public enum CropMode { ALIGNED, BOX }

    private final MtcnnDetector detector;
    private final FaceAligner aligner;
    private final CropMode cropMode;

    public PhotoFaces(MtcnnConfig mtcnn, CropMode cropMode) {
        this(mtcnn, cropMode, new FaceAligner());
    }

    /** {@code aligner}: another chip geometry than the detector service's (for comparing them in {@code vap eval}). */
    public PhotoFaces(MtcnnConfig mtcnn, CropMode cropMode, FaceAligner aligner) {
        this.detector = new MtcnnDetector(mtcnn);
        this.cropMode = cropMode;
        this.aligner = aligner;
    }

    /** MTCNN as the detector service runs it: every {@code detector.*} key of {@code settings} (device included). */
    public static PhotoFaces configured(Settings settings, CropMode cropMode) {
        return configured(settings, cropMode, new FaceAligner());
    }

    public static PhotoFaces configured(Settings settings, CropMode cropMode, FaceAligner aligner) {
        return new PhotoFaces(DetectorConfig.from(settings).mtcnn(), cropMode, aligner);
    }

    /** Every face in the photo at {@code file}, best detection score first. */
    public List<Face> faces(Path file) {
        try (Mat image = ImageDecoder.decode(file)) {
            return faces(image);
        }
    }

    public List<Face> faces(Mat bgr) {
        List<Face> out = new ArrayList<>();
        for (DetectedFace d : detector.detect(bgr)) {
            Mat embedCrop = cropMode == CropMode.ALIGNED ? aligner.alignedCrop(bgr, d) : boxCrop(bgr, d);
            out.add(new Face(d, embedCrop, aligner.ageCrop(bgr, d)));
        }
        return out;
    }

    /** The detection box alone (clipped to the image); FaceEmbedder pads it to a centred square. */
    private static Mat boxCrop(Mat bgr, DetectedFace d) {
        int x1 = Math.max(0, Math.round(d.x1()));
        int y1 = Math.max(0, Math.round(d.y1()));
        int x2 = Math.min(bgr.cols(), Math.max(x1 + 1, Math.round(d.x2())));
        int y2 = Math.min(bgr.rows(), Math.max(y1 + 1, Math.round(d.y2())));
        try (Mat view = new Mat(bgr, new org.bytedeco.opencv.opencv_core.Rect(x1, y1, x2 - x1, y2 - y1))) {
            return view.clone();
        }
    }

    @Override
    public void close() {
        detector.close();
    }
}
