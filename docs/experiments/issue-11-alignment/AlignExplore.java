import ai.djl.Device;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import vap.core.config.Settings;
import vap.photos.PhotoFaces;
import vap.recognizer.embed.ChipRealigner;
import vap.recognizer.embed.Embeddings;
import vap.recognizer.embed.FaceEmbedder;
import vap.recognizer.embed.FaceEmbeddingNet;
import vap.recognizer.embed.FaceLandmarkNet;
import vap.vision.align.FaceAligner;
import vap.vision.align.GreyImage;
import vap.vision.align.ShapePredictor;
import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;
import vap.vision.image.ImageDecoder;

import java.nio.file.*;
import java.util.*;

import static org.bytedeco.opencv.global.opencv_core.*;
import static org.bytedeco.opencv.global.opencv_imgproc.*;

/** Scratch exploration (not part of the repo): alignment/preprocessing variants on a DevTrain subset. */
public final class AlignExplore {
    static final Path L = Paths.get("/work/shared/testdata/lfw");
    /** Caches (detections, embeddings, 68 points): a fresh directory per code version, or stale results come back. */
    static final Path OUT = Paths.get(System.getProperty("align.out", "/tmp/recog"));
    static final Path LM68_WEIGHTS = Paths.get(System.getProperty("align.lm68", "/tmp/recog/mfa/package/weights"));
    /** dlib's own 68-point shape predictor (Debian libdlib-data). */
    static final Path DLIB68 = Paths.get(System.getProperty("align.dlib68", "/usr/share/dlib/shape_predictor_68_face_landmarks.dat"));
    static final float[] TX = {47.5492f, 100.4761f, 74.0127f, 50.4149f, 97.6104f};
    static final float[] TY = {46.5990f, 46.5990f, 76.5625f, 103.0233f, 103.0233f};

    record Pair(String a, String b, boolean same) {}

    public static void main(String[] args) throws Exception {
        String pairsFile = args[0];
        int every = Integer.parseInt(args[1]);
        List<Pair> pairs = pairs(L.resolve(pairsFile), every);
        TreeSet<String> photos = new TreeSet<>();
        pairs.forEach(p -> { photos.add(p.a); photos.add(p.b); });
        Files.createDirectories(OUT);
        System.err.println(pairs.size() + " pairs, " + photos.size() + " photos");
        Map<String, DetectedFace> det = detections(photos, OUT.resolve("det-" + pairsFile + "-" + every + ".tsv"));
        long found = photos.stream().filter(det::containsKey).count();
        System.err.println("found " + found + "/" + photos.size());
        for (int i = 2; i < args.length; i++) {
            String v = args[i];
            Map<String, float[]> emb = embeddings(v, det, photos, OUT.resolve("emb-" + pairsFile + "-" + every + "-" + v + ".tsv"));
            report(v, pairs, emb);
        }
    }

    static List<Pair> pairs(Path f, int every) throws Exception {
        List<String> lines = Files.readAllLines(f);
        int n = Integer.parseInt(lines.get(0).trim().split("\\s+")[0]);
        List<Pair> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if ((i - 1) % every != 0) continue;
            String[] t = lines.get(i).trim().split("\\s+");
            if (t.length == 3) out.add(new Pair(img(t[0], t[1]), img(t[0], t[2]), true));
            else out.add(new Pair(img(t[0], t[1]), img(t[2], t[3]), false));
        }
        return out;
    }

    static String img(String name, String i) {
        return name + "/" + name + String.format("_%04d.jpg", Integer.parseInt(i));
    }

    static Map<String, DetectedFace> detections(Set<String> photos, Path file) throws Exception {
        Map<String, DetectedFace> out = new HashMap<>();
        Set<String> done = new HashSet<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                String[] t = line.split("\t");
                done.add(t[0]);
                if (t.length > 1) {
                    String[] v = t[1].split(",");
                    float[] f = new float[v.length];
                    for (int i = 0; i < v.length; i++) f[i] = Float.parseFloat(v[i]);
                    List<Landmark> lm = new ArrayList<>();
                    for (int i = 0; i < 5; i++) lm.add(new Landmark(f[5 + 2 * i], f[6 + 2 * i]));
                    out.put(t[0], new DetectedFace(f[0], f[1], f[2], f[3], f[4], lm));
                }
            }
        }
        List<String> todo = photos.stream().filter(p -> !done.contains(p)).toList();
        if (todo.isEmpty()) return out;
        long t0 = System.nanoTime();
        try (PhotoFaces pf = PhotoFaces.configured(Settings.empty(), PhotoFaces.CropMode.ALIGNED);
             var w = Files.newBufferedWriter(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            int k = 0;
            for (String p : todo) {
                DetectedFace best = null;
                try (Mat image = ImageDecoder.decode(L.resolve("images").resolve(p))) {
                    float cx = image.cols() / 2f, cy = image.rows() / 2f;
                    double bd = Double.MAX_VALUE;
                    for (PhotoFaces.Face f : pf.faces(image)) {
                        DetectedFace d = f.detection();
                        double dd = Math.hypot((d.x1() + d.x2()) / 2 - cx, (d.y1() + d.y2()) / 2 - cy);
                        if (dd < bd) { bd = dd; best = d; }
                        f.close();
                    }
                }
                StringBuilder sb = new StringBuilder(p).append('\t');
                if (best != null) {
                    out.put(p, best);
                    sb.append(best.x1()).append(',').append(best.y1()).append(',').append(best.x2()).append(',')
                            .append(best.y2()).append(',').append(best.score());
                    for (int i = 0; i < 5; i++) sb.append(',').append(best.landmark(i).x()).append(',').append(best.landmark(i).y());
                }
                w.write(sb.append('\n').toString());
                if (++k % 100 == 0) { w.flush(); System.err.printf("detect %d/%d %.0f ms/photo%n", k, todo.size(), (System.nanoTime() - t0) / 1e6 / k); }
            }
        }
        return out;
    }

    /**
     * Variant spec: tokens joined by '_': s<scale> (template scale about chip centre), dy<px>, mirror, pmirror
     * (FaceEmbedder's mirror flag), grey, bgr, p3 (eyes+nose fit), lm68. The 5-point chip without dy/p3 is the
     * production FaceAligner's; the others are cut by this file's least-squares similarity fit.
     */
    static Map<String, float[]> embeddings(String v, Map<String, DetectedFace> det, Set<String> photos, Path file) throws Exception {
        Map<String, float[]> out = new HashMap<>();
        if (v.contains("+")) { // mean of two variants' embeddings
            String[] parts = v.split("\\+");
            Map<String, float[]> a = embeddings(parts[0], det, photos, file.resolveSibling(file.getFileName().toString().replace(v, parts[0])));
            Map<String, float[]> b = embeddings(parts[1], det, photos, file.resolveSibling(file.getFileName().toString().replace(v, parts[1])));
            a.forEach((k, e) -> out.put(k, Embeddings.meanOf(List.of(e, b.get(k)))));
            return out;
        }
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                String[] t = line.split("\t");
                String[] x = t[1].split(",");
                float[] e = new float[x.length];
                for (int i = 0; i < x.length; i++) e[i] = Float.parseFloat(x[i]);
                out.put(t[0], e);
            }
            return out;
        }
        double scale = 1, dy = 0;
        boolean mirror = false, grey = false, bgr = false, p3 = false, lm68 = false, pmirror = false, lm68chip = false, dlib68 = false, dlibChip = false;
        for (String tok : v.split("_")) {
            if (tok.startsWith("s")) scale = Double.parseDouble(tok.substring(1));
            else if (tok.startsWith("dy")) dy = Double.parseDouble(tok.substring(2));
            else if (tok.equals("mirror")) mirror = true;
            else if (tok.equals("grey")) grey = true;
            else if (tok.equals("bgr")) bgr = true;
            else if (tok.equals("p3")) p3 = true;
            else if (tok.equals("lm68")) lm68 = true;
            else if (tok.equals("lm68chip")) lm68chip = true; // the production ChipRealigner on the 5-point chip
            else if (tok.equals("dlib68")) dlib68 = true; // dlib's shape predictor on the photo, box from the 5 points
            else if (tok.equals("dlib68chip")) dlibChip = true; // the same on the 5-point chip, points mapped back
            else if (tok.equals("pmirror")) pmirror = true; // FaceEmbedder's own mirror: mean of raw descriptors
            else if (!tok.equals("base")) throw new IllegalArgumentException(tok);
        }
        List<String> keys = photos.stream().filter(det::containsKey).toList();
        String set = file.getFileName().toString().split("-")[1] + "-" + keys.size() + ".tsv";
        Map<String, float[]> pts68 = lm68 ? landmarks68(det, keys, OUT.resolve("lm68-" + set))
                : dlib68 || dlibChip ? landmarksDlib(det, keys, OUT.resolve((dlibChip ? "dlib68chip-" : "dlib68-") + set), dlibChip) : null;
        long t0 = System.nanoTime();
        FaceAligner aligner = new FaceAligner(scale);
        try (FaceEmbedder emb = new FaceEmbedder(new FaceEmbeddingNet(Device.cpu()), 16, pmirror);
             ChipRealigner realigner = new ChipRealigner(new FaceLandmarkNet(Device.cpu()));
             var w = Files.newBufferedWriter(file)) {
            for (int from = 0; from < keys.size(); from += 16) {
                List<String> chunk = keys.subList(from, Math.min(keys.size(), from + 16));
                List<Mat> chips = new ArrayList<>();
                for (String k : chunk) {
                    try (Mat image = ImageDecoder.decode(L.resolve("images").resolve(k))) {
                        Mat chip = lm68chip ? realigned(realigner, aligner.alignedCrop(image, det.get(k))) : pts68 != null ? chip68(image, pts68.get(k), scale, dy) : (dy == 0 && !p3 ? aligner.alignedCrop(image, det.get(k)) : chip(image, det.get(k), scale, dy, p3));
                        if (mirror) flip(chip, chip, 1);
                        if (grey) { Mat g = new Mat(); cvtColor(chip, g, COLOR_BGR2GRAY); cvtColor(g, chip, COLOR_GRAY2BGR); g.close(); }
                        if (bgr) cvtColor(chip, chip, COLOR_BGR2RGB);
                        chips.add(chip);
                    }
                }
                List<float[]> es = emb.embed(chips);
                for (int i = 0; i < chunk.size(); i++) {
                    out.put(chunk.get(i), es.get(i));
                    StringBuilder sb = new StringBuilder(chunk.get(i)).append('\t');
                    float[] e = es.get(i);
                    for (int j = 0; j < e.length; j++) sb.append(j == 0 ? "" : ",").append(e[j]);
                    w.write(sb.append('\n').toString());
                }
                chips.forEach(Mat::close);
                if ((from / 16) % 10 == 0) System.err.printf("%s embed %d/%d %.0f ms/face%n", v, from + chunk.size(), keys.size(), (System.nanoTime() - t0) / 1e6 / (from + chunk.size()));
            }
        }
        return out;
    }

    static Mat realigned(ChipRealigner realigner, Mat chip) {
        Mat out = realigner.realign(List.of(chip)).get(0);
        chip.close();
        return out;
    }

    static Map<String, float[]> landmarks68(Map<String, DetectedFace> det, List<String> keys, Path file) throws Exception {
        Map<String, float[]> out = new HashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                String[] t = line.split("\t"), x = t[1].split(",");
                float[] e = new float[x.length];
                for (int i = 0; i < x.length; i++) e[i] = Float.parseFloat(x[i]);
                out.put(t[0], e);
            }
            return out;
        }
        long t0 = System.nanoTime();
        try (Landmarks68 net = new Landmarks68(LM68_WEIGHTS); var w = Files.newBufferedWriter(file)) {
            int n = 0;
            for (String k : keys) {
                try (Mat image = ImageDecoder.decode(L.resolve("images").resolve(k))) {
                    float[] p = net.landmarks(image, det.get(k));
                    out.put(k, p);
                    StringBuilder sb = new StringBuilder(k).append('\t');
                    for (int j = 0; j < p.length; j++) sb.append(j == 0 ? "" : ",").append(p[j]);
                    w.write(sb.append('\n').toString());
                }
                if (++n % 200 == 0) System.err.printf("lm68 %d/%d %.0f ms/face%n", n, keys.size(), (System.nanoTime() - t0) / 1e6 / n);
            }
        }
        return out;
    }

    /**
     * dlib's 68 points per photo (cached): the predictor on the grey photo in the box fitted to MTCNN's five points,
     * or ({@code onChip}) on the 5-point chip, in the box fitted to the template's five points, mapped back to the photo.
     */
    static Map<String, float[]> landmarksDlib(Map<String, DetectedFace> det, List<String> keys, Path file, boolean onChip) throws Exception {
        Map<String, float[]> out = new HashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                String[] t = line.split("\t"), x = t[1].split(",");
                float[] e = new float[x.length];
                for (int i = 0; i < x.length; i++) e[i] = Float.parseFloat(x[i]);
                out.put(t[0], e);
            }
            return out;
        }
        long t0 = System.nanoTime();
        ShapePredictor sp = ShapePredictor.load(DLIB68);
        System.err.printf("dlib68 loaded in %.0f ms%n", (System.nanoTime() - t0) / 1e6);
        FaceAligner aligner = new FaceAligner();
        List<Landmark> template = new ArrayList<>();
        for (int i = 0; i < 5; i++) template.add(FaceAligner.chipLandmark(i));
        DetectedFace chipFace = new DetectedFace(0, 0, 150, 150, 1, template);
        long predictNs = 0;
        try (var w = Files.newBufferedWriter(file)) {
            int n = 0;
            for (String k : keys) {
                float[] p;
                try (Mat image = ImageDecoder.decode(L.resolve("images").resolve(k))) {
                    DetectedFace d = det.get(k);
                    if (onChip) {
                        try (Mat chip = aligner.alignedCrop(image, d)) {
                            GreyImage g = GreyImage.of(chip);
                            long t1 = System.nanoTime();
                            p = sp.predict(g, chipFace);
                            predictNs += System.nanoTime() - t1;
                        }
                        p = chipToPhoto(p, d);
                    } else {
                        GreyImage g = GreyImage.of(image);
                        long t1 = System.nanoTime();
                        p = sp.predict(g, d);
                        predictNs += System.nanoTime() - t1;
                    }
                }
                out.put(k, p);
                StringBuilder sb = new StringBuilder(k).append('\t');
                for (int j = 0; j < p.length; j++) sb.append(j == 0 ? "" : ",").append(p[j]);
                w.write(sb.append('\n').toString());
                if (++n % 200 == 0) System.err.printf("dlib68 %d/%d %.1f ms/face predict%n", n, keys.size(), predictNs / 1e6 / n);
            }
        }
        return out;
    }

    /** Chip points to photo points: the inverse of the 5-point least-squares similarity (FaceAligner's fit). */
    static float[] chipToPhoto(float[] p, DetectedFace d) {
        double[] px = new double[5], py = new double[5], qx = new double[5], qy = new double[5];
        for (int i = 0; i < 5; i++) {
            px[i] = FaceAligner.chipLandmark(i).x(); py[i] = FaceAligner.chipLandmark(i).y();
            qx[i] = d.landmark(i).x(); qy[i] = d.landmark(i).y();
        }
        double[] m = similarity(px, py, qx, qy);
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i += 2) {
            out[i] = (float) (m[0] * p[i] - m[1] * p[i + 1] + m[2]);
            out[i + 1] = (float) (m[1] * p[i] + m[0] * p[i + 1] + m[3]);
        }
        return out;
    }

    /** Least-squares similarity p -> q as {a, b, tx, ty}: x' = a x - b y + tx, y' = b x + a y + ty. */
    static double[] similarity(double[] px, double[] py, double[] qx, double[] qy) {
        int n = px.length;
        double mpx = mean(px), mpy = mean(py), mqx = mean(qx), mqy = mean(qy);
        double sxx = 0, a = 0, b = 0;
        for (int i = 0; i < n; i++) {
            double x = px[i] - mpx, y = py[i] - mpy, u = qx[i] - mqx, w = qy[i] - mqy;
            sxx += x * x + y * y; a += x * u + y * w; b += x * w - y * u;
        }
        a /= sxx; b /= sxx;
        return new double[] {a, b, mqx - (a * mpx - b * mpy), mqy - (b * mpx + a * mpy)};
    }

    /** dlib's get_face_chip_details for 68 points: nose, eyes, outer and inner lip (no brows, no lower lip). */
    static Mat chip68(Mat image, float[] pts, double scale, double dy) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 27; i < 68; i++) if (!((55 <= i && i <= 59) || (65 <= i && i <= 67))) idx.add(i);
        int n = idx.size();
        double[] px = new double[n], py = new double[n], qx = new double[n], qy = new double[n];
        for (int j = 0; j < n; j++) {
            int i = idx.get(j);
            px[j] = pts[2 * i]; py[j] = pts[2 * i + 1];
            double[] t = ChipRealigner.templatePoint(i); // dlib's mean face in a padding-0.25 150 px chip
            qx[j] = 75 + (t[0] - 75) * scale;
            qy[j] = 75 + (t[1] - 75) * scale + dy;
        }
        return warp(image, px, py, qx, qy);
    }

    static Mat chip(Mat image, DetectedFace d, double scale, double dy, boolean p3) {
        int n = p3 ? 3 : 5;
        double[] px = new double[n], py = new double[n], qx = new double[n], qy = new double[n];
        for (int i = 0; i < n; i++) {
            px[i] = d.landmark(i).x(); py[i] = d.landmark(i).y();
            qx[i] = 75 + (TX[i] - 75) * scale; qy[i] = 75 + (TY[i] - 75) * scale + dy;
        }
        return warp(image, px, py, qx, qy);
    }

    static Mat warp(Mat image, double[] px, double[] py, double[] qx, double[] qy) {
        int n = px.length;
        double mpx = mean(px), mpy = mean(py), mqx = mean(qx), mqy = mean(qy);
        double sxx = 0, a = 0, b = 0;
        for (int i = 0; i < n; i++) {
            double x = px[i] - mpx, y = py[i] - mpy, u = qx[i] - mqx, w = qy[i] - mqy;
            sxx += x * x + y * y; a += x * u + y * w; b += x * w - y * u;
        }
        a /= sxx; b /= sxx;
        double tx = mqx - (a * mpx - b * mpy), ty = mqy - (b * mpx + a * mpy);
        Mat m = new Mat(2, 3, CV_64F);
        DoubleIndexer ix = m.createIndexer();
        ix.put(0, 0, a); ix.put(0, 1, -b); ix.put(0, 2, tx);
        ix.put(1, 0, b); ix.put(1, 1, a); ix.put(1, 2, ty);
        ix.close();
        Mat chip = new Mat();
        warpAffine(image, chip, m, new Size(150, 150), INTER_LINEAR, BORDER_CONSTANT, new Scalar(0, 0, 0, 0));
        m.close();
        return chip;
    }

    static double mean(double[] v) { double s = 0; for (double x : v) s += x; return s / v.length; }

    static void report(String v, List<Pair> pairs, Map<String, float[]> emb) {
        List<double[]> sc = new ArrayList<>(); // score, same, fold
        int missing = 0;
        for (int i = 0; i < pairs.size(); i++) {
            Pair p = pairs.get(i);
            float[] a = emb.get(p.a), b = emb.get(p.b);
            if (a == null || b == null) { missing++; continue; }
            sc.add(new double[] {Embeddings.dot(a, b), p.same ? 1 : 0, i % 10});
        }
        // 10-fold: threshold chosen on 9 folds
        int correct = 0;
        for (int f = 0; f < 10; f++) {
            final int ff = f;
            List<double[]> train = sc.stream().filter(s -> s[2] != ff).toList();
            double t = bestThreshold(train);
            for (double[] s : sc) if (s[2] == f && ((s[0] >= t) == (s[1] == 1))) correct++;
        }
        double ms = 0, md = 0, vs = 0, vd = 0; int ns = 0, nd = 0;
        for (double[] s : sc) if (s[1] == 1) { ms += s[0]; ns++; } else { md += s[0]; nd++; }
        ms /= ns; md /= nd;
        for (double[] s : sc) if (s[1] == 1) vs += (s[0] - ms) * (s[0] - ms); else vd += (s[0] - md) * (s[0] - md);
        double dprime = (ms - md) / Math.sqrt((vs / ns + vd / nd) / 2);
        // AUC
        long gt = 0, eq = 0;
        for (double[] s : sc) if (s[1] == 1) for (double[] o : sc) if (o[1] == 0) { if (s[0] > o[0]) gt++; else if (s[0] == o[0]) eq++; }
        double auc = (gt + eq / 2.0) / ((double) ns * nd);
        System.out.printf(Locale.ROOT, "%-28s found-pairs %d (missing %d)  10-fold acc %.2f%%  best-acc %.2f%%  AUC %.4f  d' %.3f  same %.4f diff %.4f%n",
                v, sc.size(), missing, 100.0 * correct / sc.size(), 100 * accAt(sc, bestThreshold(sc)), auc, dprime, ms, md);
    }

    static double bestThreshold(List<double[]> sc) {
        double best = 0, bt = 0;
        for (double[] c : sc) { double a = accAt(sc, c[0]); if (a > best) { best = a; bt = c[0]; } }
        return bt;
    }

    static double accAt(List<double[]> sc, double t) {
        int c = 0; for (double[] s : sc) if ((s[0] >= t) == (s[1] == 1)) c++;
        return (double) c / sc.size();
    }
}
