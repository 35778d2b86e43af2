package vap.photos.evaldetect;

import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;

import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2Lab;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_Lab2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

/**
 * A skin tone to render a pasted face at, as an individual typology angle (ITA = atan((L* - 50) / b*), CIELAB,
 * degrees; the dermatology scale: very light > 55, light 41-55, intermediate 28-41, tan 10-28, brown -30-10,
 * dark < -30). The transform is deliberately simple: the face's skin colour is measured on the nose and cheeks
 * (between the eyes and the mouth), and every pixel's L* is scaled so that colour reaches the target angle at the
 * same b*; a*, b* stay. Pixels far in chroma from that skin colour (eye whites, teeth, clothes, background) are
 * changed less (Gaussian weight, sigma {@value #CHROMA_SIGMA} in a*b*, taken on a blurred copy so JPEG's 8 x 8
 * chroma blocks do not turn into patches), so eyes and teeth keep their contrast.
 */
record SkinTone(String name, double ita) {
    static final double CHROMA_SIGMA = 14;
    /** One tone per ITA group, mid-group, light to dark. */
    static final List<SkinTone> GROUPS = List.of(new SkinTone("very light", 62), new SkinTone("light", 48),
            new SkinTone("intermediate", 34), new SkinTone("tan", 19), new SkinTone("brown", -10),
            new SkinTone("dark", -45));

    /** The mean CIELAB colour {L*, a*, b*} of the skin between a face's eyes and mouth. */
    static double[] skinOf(Mat bgr, DetectedFace face) {
        List<Landmark> p = face.landmarks();
        double eyeY = (p.get(0).y() + p.get(1).y()) / 2;
        double mouthY = (p.get(3).y() + p.get(4).y()) / 2;
        int x1 = (int) Math.round(Math.min(p.get(0).x(), p.get(3).x()));
        int x2 = (int) Math.round(Math.max(p.get(1).x(), p.get(4).x()));
        int y1 = (int) Math.round(eyeY + 0.3 * (mouthY - eyeY));
        int y2 = (int) Math.round(mouthY - 0.2 * (mouthY - eyeY));
        x1 = Math.max(0, x1);
        y1 = Math.max(0, y1);
        x2 = Math.min(bgr.cols(), Math.max(x1 + 1, x2));
        y2 = Math.min(bgr.rows(), Math.max(y1 + 1, y2));
        try (Rect r = new Rect(x1, y1, x2 - x1, y2 - y1); Mat patch = new Mat(bgr, r); Mat lab = lab(patch);
             FloatIndexer idx = lab.createIndexer()) {
            double[] sum = new double[3];
            for (int y = 0; y < lab.rows(); y++) {
                for (int x = 0; x < lab.cols(); x++) {
                    for (int c = 0; c < 3; c++) {
                        sum[c] += idx.get(y, x, c);
                    }
                }
            }
            int n = lab.rows() * lab.cols();
            return new double[]{sum[0] / n, sum[1] / n, sum[2] / n};
        }
    }

    /** ITA of a CIELAB colour, degrees. */
    static double itaOf(double[] lab) {
        return Math.toDegrees(Math.atan2(lab[0] - 50, lab[2]));
    }

    /** Renders {@code bgr} (8-bit, in place) so that the skin colour {@code skin} reaches this tone. */
    void apply(Mat bgr, double[] skin) {
        double targetL = 50 + skin[2] * Math.tan(Math.toRadians(ita));
        double k = Math.max(0.05, targetL / skin[0]);
        int blur = 2 * Math.max(2, Math.max(bgr.cols(), bgr.rows()) / 80) + 1;
        try (Mat lab = lab(bgr); Mat smooth = new Mat(); Size kernel = new Size(blur, blur)) {
            GaussianBlur(lab, smooth, kernel, 0);
            shiftLightness(lab, smooth, skin, k);
            try (Mat back = new Mat()) {
                cvtColor(lab, back, COLOR_Lab2BGR);
                back.convertTo(bgr, CV_8UC3, 255, 0);
            }
        }
    }

    private static void shiftLightness(Mat lab, Mat smooth, double[] skin, double k) {
        try (FloatIndexer idx = lab.createIndexer(); FloatIndexer weights = smooth.createIndexer()) {
            for (int y = 0; y < lab.rows(); y++) {
                for (int x = 0; x < lab.cols(); x++) {
                    double da = weights.get(y, x, 1) - skin[1];
                    double db = weights.get(y, x, 2) - skin[2];
                    double w = Math.exp(-(da * da + db * db) / (2 * CHROMA_SIGMA * CHROMA_SIGMA));
                    idx.put(y, x, 0, (float) Math.min(100, idx.get(y, x, 0) * (1 + w * (k - 1))));
                }
            }
        }
    }

    /** Float CIELAB (L* 0-100, a*, b* signed) of an 8-bit BGR image. */
    private static Mat lab(Mat bgr) {
        Mat lab = new Mat();
        try (Mat f = new Mat()) {
            bgr.convertTo(f, CV_32FC3, 1 / 255.0, 0);
            cvtColor(f, lab, COLOR_BGR2Lab);
        }
        return lab;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s (ITA %.0f)", name, ita);
    }
}
