import org.bytedeco.opencv.opencv_core.*;
import vap.vision.face.DetectedFace;
import vap.vision.image.ImageDecoder;
import java.nio.file.*;
import java.util.*;
import static org.bytedeco.opencv.global.opencv_imgproc.*;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

public final class DrawLm {
    public static void main(String[] a) throws Exception {
        Map<String, DetectedFace> det = AlignExplore.detections(new TreeSet<>(List.of(a[0])), Paths.get("/tmp/recog/dbg-det.tsv"));
        DetectedFace d = det.get(a[0]);
        try (Landmarks68 net = new Landmarks68(Paths.get("/tmp/recog/mfa/package/weights"));
             Mat img = ImageDecoder.decode(AlignExplore.L.resolve("images").resolve(a[0]))) {
            float[] p = net.landmarks(img, d);
            Mat c5 = AlignExplore.chip(img, d, 1, 0, false);
            Mat c68 = AlignExplore.chip68(img, p, 1, 0);
            for (int i = 0; i < 68; i++) circle(img, new Point(Math.round(p[2 * i]), Math.round(p[2 * i + 1])), 1, new Scalar(0, 255, 0, 0), -1, LINE_8, 0);
            for (int i = 0; i < 5; i++) circle(img, new Point(Math.round(d.landmark(i).x()), Math.round(d.landmark(i).y())), 2, new Scalar(0, 0, 255, 0), -1, LINE_8, 0);
            rectangle(img, new Point(Math.round(d.x1()), Math.round(d.y1())), new Point(Math.round(d.x2()), Math.round(d.y2())), new Scalar(255, 0, 0, 0));
            imwrite("/tmp/recog/dbg.png", img);
            Mat both = new Mat();
            org.bytedeco.opencv.global.opencv_core.hconcat(c5, c68, both);
            imwrite("/tmp/recog/dbg-chips.png", both);
        }
    }
}
