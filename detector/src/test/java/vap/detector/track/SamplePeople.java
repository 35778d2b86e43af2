package vap.detector.track;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import vap.detector.TestPhotos;
import vap.detector.mtcnn.MtcnnDetector;
import vap.vision.face.DetectedFace;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The three people of sample1.jpg (face-api's demo photo), to paste into videos a test makes. */
final class SamplePeople {
    private SamplePeople() {
    }

    /** Each face, left to right, cut out square with a margin (1.6 face widths) and scaled to {@code patch} pixels. */
    static List<Mat> cutOut(MtcnnDetector detector, int patch) {
        List<Mat> out = new ArrayList<>();
        try (Mat photo = TestPhotos.sample(1, 800)) {
            List<DetectedFace> faces = new ArrayList<>(detector.detect(photo));
            assertEquals(3, faces.size(), "sample1 has three faces: " + faces);
            faces.sort((p, q) -> Float.compare(p.x1(), q.x1()));
            for (DetectedFace f : faces) {
                int side = Math.round(f.width() * 1.6f);
                int x = Math.max(0, Math.round((f.x1() + f.x2()) / 2 - side / 2f));
                int y = Math.max(0, Math.round((f.y1() + f.y2()) / 2 - side / 2f));
                side = Math.min(side, Math.min(photo.cols() - x, photo.rows() - y));
                try (Rect r = new Rect(x, y, side, side); Mat crop = new Mat(photo, r);
                     Size size = new Size(patch, patch)) {
                    Mat scaled = new Mat();
                    resize(crop, scaled, size, 0, 0, INTER_AREA);
                    out.add(scaled);
                }
            }
        }
        return out;
    }
}
