import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import vap.core.config.Settings;
import vap.photos.PhotoFaces;
import vap.vision.align.GreyImage;
import vap.vision.align.ShapeBox;
import vap.vision.align.ShapePredictor;
import vap.vision.face.DetectedFace;
import vap.vision.image.ImageDecoder;

import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

/**
 * The Java ShapePredictor against dlib's own (DlibReference.cpp) and by eye: detects every face of the photos given
 * (production detector), places the box from MTCNN's five points, rounds it to a dlib rectangle, and writes per photo
 * the grey image (int width, int height, bytes; big-endian), boxes.txt (what DlibReference reads), java.txt (the
 * same lines with the Java points), and draw<k>.png (68 points green, MTCNN's five red, the box blue) to argument 0.
 */
public final class DlibCheck {
    public static void main(String[] args) throws Exception {
        Path out = Files.createDirectories(Paths.get(args[0]));
        long t0 = System.nanoTime();
        ShapePredictor sp = ShapePredictor.load(AlignExplore.DLIB68);
        System.out.printf(Locale.ROOT, "load %.0f ms: %d points, %d stages of %d trees with %d leaves, %d feature pixels%n",
                (System.nanoTime() - t0) / 1e6, sp.pointCount(), sp.stageCount(), sp.treeCount(0), sp.leafCount(0), sp.featureCount(0));
        try (PhotoFaces photos = PhotoFaces.configured(Settings.empty(), PhotoFaces.CropMode.ALIGNED);
             PrintWriter boxes = new PrintWriter(out.resolve("boxes.txt").toFile());
             PrintWriter points = new PrintWriter(out.resolve("java.txt").toFile())) {
            for (int k = 1; k < args.length; k++) {
                try (Mat image = ImageDecoder.decode(Paths.get(args[k]))) {
                    GreyImage grey = GreyImage.of(image);
                    Path raw = out.resolve("img" + k + ".raw");
                    try (DataOutputStream o = new DataOutputStream(new FileOutputStream(raw.toFile()))) {
                        o.writeInt(grey.width());
                        o.writeInt(grey.height());
                        o.write(grey.pixels());
                    }
                    for (PhotoFaces.Face face : photos.faces(image)) {
                        DetectedFace d = face.detection();
                        ShapeBox fitted = sp.boxFor(d);
                        long l = Math.round(fitted.left()), t = Math.round(fitted.top());
                        long r = Math.round(fitted.left() + fitted.width()), b = Math.round(fitted.top() + fitted.height());
                        float[] p = sp.predict(grey, ShapeBox.ofDlibRect(l, t, r, b));
                        String line = raw + " " + l + " " + t + " " + r + " " + b;
                        boxes.println(line);
                        StringBuilder sb = new StringBuilder(line);
                        for (float v : p) sb.append(' ').append(v);
                        points.println(sb);
                        StringBuilder five = new StringBuilder();
                        for (int i = 0; i < 5; i++) five.append(String.format(Locale.ROOT, " %.2f,%.2f", d.landmark(i).x(), d.landmark(i).y()));
                        System.out.println(args[k] + " box " + l + " " + t + " " + r + " " + b + " MTCNN" + five);
                        for (int i = 0; i < p.length / 2; i++) {
                            circle(image, new Point(Math.round(p[2 * i]), Math.round(p[2 * i + 1])), 1, new Scalar(0, 255, 0, 0), -1, LINE_8, 0);
                        }
                        for (int i = 0; i < 5; i++) {
                            circle(image, new Point(Math.round(d.landmark(i).x()), Math.round(d.landmark(i).y())), 2, new Scalar(0, 0, 255, 0), -1, LINE_8, 0);
                        }
                        rectangle(image, new Point((int) l, (int) t), new Point((int) r, (int) b), new Scalar(255, 0, 0, 0));
                        face.close();
                    }
                    imwrite(out.resolve("draw" + k + ".png").toString(), image);
                }
            }
        }
    }
}
