package vap.photos.evaldetect;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.merge;
import static org.bytedeco.opencv.global.opencv_core.multiply;
import static org.bytedeco.opencv.global.opencv_core.subtract;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_CUBIC;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.ellipse;
import static org.bytedeco.opencv.global.opencv_imgproc.line;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

/**
 * Synthetic labelled images, the same for the same seed: real faces (cut from photos with their detected upright
 * box and landmarks) scaled, rolled and pasted into made-up backgrounds, so the truth is exact: the box is the
 * bounding box of the rolled face box, the landmarks are the source's moved by the same transform. Even images
 * are 640 x 480 scenes with 2-5 faces of 20-160 px; odd ones are portraits, one face of 160-600 px in a frame
 * from exactly its size (the face fills the image) to 1.8 times it. A third of the faces are upright, the others
 * rolled uniformly within +-45 degrees.
 */
final class Composites {
    static final int SCENE_WIDTH = 640;
    static final int SCENE_HEIGHT = 480;
    static final double MAX_ROLL = 45;

    private final List<SourceFace> sources;
    private final long seed;
    /** The tone every pasted face is rendered at; null = as photographed. */
    private final SkinTone tone;

    /** A face to paste: the photo and the face found in it. */
    record SourceFace(Mat photo, DetectedFace face) {
        /** The face's skin colour, CIELAB (see {@link SkinTone#skinOf}). */
        double[] skin() {
            return SkinTone.skinOf(photo, face);
        }
    }

    Composites(List<SourceFace> sources, long seed) {
        this(sources, seed, null);
    }

    private Composites(List<SourceFace> sources, long seed, SkinTone tone) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no source faces to build composites from");
        }
        this.sources = sources;
        this.seed = seed;
        this.tone = tone;
    }

    /** The same composites (same faces, places, sizes, rolls) with every face rendered at {@code tone}. */
    Composites withTone(SkinTone tone) {
        return new Composites(sources, seed, tone);
    }

    /** Composite number {@code index} (0-based). */
    LabelledImage image(int index) {
        Random random = new Random(seed * 1_000_003L + index);
        return index % 2 == 0 ? scene(index, random) : portrait(index, random);
    }

    private String set() {
        return tone == null ? "composites" : "composites, skin " + tone;
    }

    private LabelledImage scene(int index, Random random) {
        Mat canvas = background(SCENE_WIDTH, SCENE_HEIGHT, random);
        List<TruthFace> faces = new ArrayList<>();
        // Where faces already are: a later paste's hair and shoulders may not cover them (1 = keep the canvas).
        try (Mat placed = new Mat(SCENE_HEIGHT, SCENE_WIDTH, CV_32FC1, Scalar.all(0))) {
            fillScene(canvas, faces, placed, random);
        }
        return new LabelledImage(set(), String.format("composite-%03d-scene", index), canvas, faces, true);
    }

    private void fillScene(Mat canvas, List<TruthFace> faces, Mat placed, Random random) {
        int wanted = 2 + random.nextInt(4);
        for (int attempt = 0; attempt < 200 && faces.size() < wanted; attempt++) {
            double side = 20 * Math.pow(8, random.nextDouble()); // log-uniform 20..160
            double roll = roll(random);
            double extent = side * (Math.cos(Math.toRadians(Math.abs(roll))) + Math.sin(Math.toRadians(Math.abs(roll))));
            double cx = extent / 2 + random.nextDouble() * (SCENE_WIDTH - extent);
            double cy = extent / 2 + random.nextDouble() * (SCENE_HEIGHT - extent);
            if (faces.stream().anyMatch(f -> apart(f, cx, cy, extent) < 0)) {
                continue;
            }
            faces.add(paste(canvas, placed, sources.get(random.nextInt(sources.size())), side, roll, cx, cy));
        }
    }

    private LabelledImage portrait(int index, Random random) {
        double side = 160 * Math.pow(600.0 / 160, random.nextDouble());
        double roll = roll(random);
        double r = Math.toRadians(Math.abs(roll));
        double extent = side * (Math.cos(r) + Math.sin(r));
        // A third of the portraits are exactly the face's box: the face fills the whole image.
        boolean fills = random.nextInt(3) == 0;
        int w = (int) Math.ceil(extent * (fills ? 1 : 1 + 0.8 * random.nextDouble()));
        int h = (int) Math.ceil(extent * (fills ? 1 : 1 + 0.8 * random.nextDouble()));
        Mat canvas = background(w, h, random);
        double cx = extent / 2 + random.nextDouble() * (w - extent);
        double cy = extent / 2 + random.nextDouble() * (h - extent);
        TruthFace face = paste(canvas, null, sources.get(random.nextInt(sources.size())), side, roll, cx, cy);
        return new LabelledImage(set(), String.format("composite-%03d-portrait", index), canvas,
                List.of(face), true);
    }

    private static double roll(Random random) {
        return random.nextInt(3) == 0 ? 0 : Math.round((random.nextDouble() * 2 - 1) * MAX_ROLL);
    }

    /** Gap between a placed face's box and a new one centred at (cx, cy); negative when they would overlap. */
    private static double apart(TruthFace f, double cx, double cy, double extent) {
        double gapX = Math.max(f.x1() - (cx + extent / 2), (cx - extent / 2) - f.x2());
        double gapY = Math.max(f.y1() - (cy + extent / 2), (cy - extent / 2) - f.y2());
        return Math.max(gapX, gapY) - 4;
    }

    /**
     * Pastes the source face scaled to {@code side} and rolled by {@code roll} degrees (counter-clockwise as
     * displayed) with its box centre at (cx, cy): the face with its hair and some surroundings, blended in
     * through a soft elliptical mask, except over the faces already {@code placed} (null: none), which the mask
     * (wider than the face box) would otherwise partly hide; the new face's rolled square is added to it.
     */
    private TruthFace paste(Mat canvas, Mat placed, SourceFace source, double side, double roll, double cx,
                            double cy) {
        DetectedFace f = source.face();
        double sourceSide = f.x2() - f.x1();
        double k = side / sourceSide;
        // The region around the face worth pasting: 0.7 of the face on each side.
        int rx1 = (int) Math.max(0, Math.floor(f.x1() - 0.7 * sourceSide));
        int ry1 = (int) Math.max(0, Math.floor(f.y1() - 0.7 * sourceSide));
        int rx2 = (int) Math.min(source.photo().cols(), Math.ceil(f.x2() + 0.7 * sourceSide));
        int ry2 = (int) Math.min(source.photo().rows(), Math.ceil(f.y2() + 0.7 * sourceSide));
        int sw = Math.max(1, (int) Math.round((rx2 - rx1) * k));
        int sh = Math.max(1, (int) Math.round((ry2 - ry1) * k));
        double kx = (double) sw / (rx2 - rx1);
        double ky = (double) sh / (ry2 - ry1);
        double fcx = ((f.x1() + f.x2()) / 2 - rx1) * kx;
        double fcy = ((f.y1() + f.y2()) / 2 - ry1) * ky;
        double cos = Math.cos(Math.toRadians(roll));
        double sin = Math.sin(Math.toRadians(roll));
        // Continuous map from the scaled region to the canvas: p' = R (p - fc) + c.
        double tx = cx - (cos * fcx + sin * fcy);
        double ty = cy - (-sin * fcx + cos * fcy);
        try (Rect rect = new Rect(rx1, ry1, rx2 - rx1, ry2 - ry1); Mat region = new Mat(source.photo(), rect);
             Mat scaled = new Mat(); Size scaledSize = new Size(sw, sh); Mat mask = new Mat(sh, sw, CV_32FC1, Scalar.all(0));
             Mat warped = new Mat(); Mat warpedMask = new Mat(); Mat m = new Mat(2, 3, CV_64F);
             Size canvasSize = new Size(canvas.cols(), canvas.rows())) {
            resize(region, scaled, scaledSize, 0, 0, k < 1 ? INTER_AREA : INTER_LINEAR);
            if (tone != null) {
                tone.apply(scaled, source.skin());
            }
            try (Point centre = new Point((int) Math.round(fcx), (int) Math.round(fcy - 0.1 * side));
                 Size axes = new Size((int) Math.round(0.8 * side), (int) Math.round(0.95 * side))) {
                ellipse(mask, centre, axes, 0, 0, 360, Scalar.all(1), FILLED, 8, 0);
            }
            int blur = 2 * (int) Math.max(1, Math.round(0.08 * side)) + 1;
            try (Size kernel = new Size(blur, blur)) {
                GaussianBlur(mask, mask, kernel, 0);
            }
            DoubleIndexer idx = m.createIndexer();
            // warpAffine maps pixel indices (centres at integers): shift the continuous map by half a pixel.
            idx.put(0, 0, cos).put(0, 1, sin).put(0, 2, tx + 0.5 * (cos + sin) - 0.5);
            idx.put(1, 0, -sin).put(1, 1, cos).put(1, 2, ty + 0.5 * (cos - sin) - 0.5);
            idx.release();
            warpAffine(scaled, warped, m, canvasSize, INTER_LINEAR, BORDER_CONSTANT, Scalar.all(0));
            warpAffine(mask, warpedMask, m, canvasSize, INTER_LINEAR, BORDER_CONSTANT, Scalar.all(0));
            if (placed != null) {
                try (Mat free = new Mat()) {
                    placed.convertTo(free, CV_32FC1, -1, 1); // 1 - placed
                    multiply(warpedMask, free, warpedMask);
                }
            }
            blend(canvas, warped, warpedMask);
        }
        if (placed != null) {
            markFace(placed, cx, cy, side, cos, sin);
        }
        double[][] corners = {{f.x1(), f.y1()}, {f.x2(), f.y1()}, {f.x1(), f.y2()}, {f.x2(), f.y2()}};
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (double[] c : corners) {
            double px = (c[0] - rx1) * kx;
            double py = (c[1] - ry1) * ky;
            double qx = cos * px + sin * py + tx;
            double qy = -sin * px + cos * py + ty;
            minX = Math.min(minX, qx);
            minY = Math.min(minY, qy);
            maxX = Math.max(maxX, qx);
            maxY = Math.max(maxY, qy);
        }
        List<Landmark> landmarks = new ArrayList<>();
        for (Landmark p : f.landmarks()) {
            double px = (p.x() - rx1) * kx;
            double py = (p.y() - ry1) * ky;
            landmarks.add(new Landmark((float) (cos * px + sin * py + tx), (float) (-sin * px + cos * py + ty)));
        }
        return new TruthFace(minX, minY, maxX, maxY, roll, side, landmarks);
    }

    /** Fills the face's rolled square (centre, side, roll) with 1 in {@code placed}. */
    private static void markFace(Mat placed, double cx, double cy, double side, double cos, double sin) {
        double h = side / 2;
        double[][] corners = {{-h, -h}, {h, -h}, {h, h}, {-h, h}};
        try (Mat polygon = new Mat(4, 1, org.bytedeco.opencv.global.opencv_core.CV_32SC2)) {
            var idx = polygon.<org.bytedeco.javacpp.indexer.IntIndexer>createIndexer();
            for (int i = 0; i < 4; i++) {
                // The paste's map turns a point by the roll: x' = cos x + sin y, y' = -sin x + cos y.
                idx.put(i, 0, 0, (int) Math.round(cx + cos * corners[i][0] + sin * corners[i][1]));
                idx.put(i, 0, 1, (int) Math.round(cy - sin * corners[i][0] + cos * corners[i][1]));
            }
            idx.release();
            org.bytedeco.opencv.global.opencv_imgproc.fillConvexPoly(placed, polygon, Scalar.all(1), 8, 0);
        }
    }

    /** canvas = mask * face + (1 - mask) * canvas, per pixel. */
    private static void blend(Mat canvas, Mat face, Mat mask) {
        try (Mat c = new Mat(); Mat fa = new Mat(); Mat m3 = new Mat(); Mat diff = new Mat(); Mat out = new Mat()) {
            canvas.convertTo(c, CV_32FC3);
            face.convertTo(fa, CV_32FC3);
            try (org.bytedeco.opencv.opencv_core.MatVector planes =
                         new org.bytedeco.opencv.opencv_core.MatVector(mask, mask, mask)) {
                merge(planes, m3);
            }
            subtract(fa, c, diff);
            multiply(diff, m3, diff);
            add(c, diff, out);
            out.convertTo(canvas, CV_8UC3);
        }
    }

    /** A made-up background: smooth colour field, a few bars and boxes, sensor-like noise. No faces. */
    private static Mat background(int width, int height, Random random) {
        Mat canvas = new Mat();
        try (Mat seedField = new Mat(4 + random.nextInt(4), 4 + random.nextInt(4), CV_8UC3);
             Size size = new Size(width, height)) {
            var idx = seedField.<org.bytedeco.javacpp.indexer.UByteIndexer>createIndexer();
            for (int y = 0; y < seedField.rows(); y++) {
                for (int x = 0; x < seedField.cols(); x++) {
                    for (int ch = 0; ch < 3; ch++) {
                        idx.put(y, x, ch, 40 + random.nextInt(180));
                    }
                }
            }
            idx.release();
            resize(seedField, canvas, size, 0, 0, INTER_CUBIC);
        }
        for (int i = 0; i < 6; i++) {
            try (Point a = new Point(random.nextInt(width), random.nextInt(height));
                 Point b = new Point(random.nextInt(width), random.nextInt(height));
                 Scalar colour = new Scalar(random.nextInt(256), random.nextInt(256), random.nextInt(256), 0)) {
                if (i % 2 == 0) {
                    line(canvas, a, b, colour, 1 + random.nextInt(8), 8, 0);
                } else {
                    rectangle(canvas, a, b, colour, random.nextBoolean() ? FILLED : 2, 8, 0);
                }
            }
        }
        byte[] px = new byte[width * height * 3];
        canvas.data().get(px);
        for (int i = 0; i < px.length; i++) {
            int v = (px[i] & 0xFF) + (int) Math.round(random.nextGaussian() * 6);
            px[i] = (byte) Math.max(0, Math.min(255, v));
        }
        canvas.data().put(px);
        return canvas;
    }
}
