package vap.faults;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import vap.demo.SampleScenes;
import vap.detector.mtcnn.MtcnnConfig;
import vap.detector.mtcnn.MtcnnDetector;
import vap.vision.face.DetectedFace;
import vap.vision.image.ImageDecoder;

import java.nio.file.Path;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_CUBIC;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * The camera of every fault test: one large face in EVERY frame, two people of the npm sample photo taking turns
 * on the left and on the right (3 s each). A frame without a face on {@code vap.faces} is therefore a lost frame,
 * and every turn is a new track that closes, so appearances can be counted.
 */
final class FaultVideo {
    private static final int FACE = 200;

    private FaultVideo() {
    }

    static Path build(Path out) {
        Mat group = ImageDecoder.decode(SampleScenes.photo("sample1.jpg"), "sample1.jpg");
        List<DetectedFace> people;
        try (MtcnnDetector detector = new MtcnnDetector(MtcnnConfig.defaults().withMinFaceSize(40))) {
            people = detector.detect(group);
        }
        if (people.size() < 2) {
            throw new IllegalStateException("sample1.jpg: expected two faces, found " + people);
        }
        return SampleScenes.buildShots(List.of(
                new SampleScenes.Shot(onCanvas(group, people.get(0), 120), 3),
                new SampleScenes.Shot(onCanvas(group, people.get(1), SampleScenes.WIDTH - 120 - FACE), 3)), out);
    }

    /** A square cut around the face (half its size as margin), scaled to {@link #FACE} px, on a grey frame at x. */
    private static Mat onCanvas(Mat photo, DetectedFace f, int x) {
        double side = Math.max(f.x2() - f.x1(), f.y2() - f.y1()) * 2;
        double cx = (f.x1() + f.x2()) / 2, cy = (f.y1() + f.y2()) / 2;
        int left = (int) Math.max(0, cx - side / 2), top = (int) Math.max(0, cy - side / 2);
        int w = (int) Math.min(photo.cols() - left, side), h = (int) Math.min(photo.rows() - top, side);
        Mat big = new Mat();
        resize(new Mat(photo, new Rect(left, top, w, h)), big, new Size(FACE, FACE), 0, 0, INTER_CUBIC);
        Mat canvas = new Mat(SampleScenes.HEIGHT, SampleScenes.WIDTH, CV_8UC3, new Scalar(128, 128, 128, 0));
        big.copyTo(new Mat(canvas, new Rect(x, (SampleScenes.HEIGHT - FACE) / 2, FACE, FACE)));
        return canvas;
    }
}
