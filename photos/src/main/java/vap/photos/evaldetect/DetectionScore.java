package vap.photos.evaldetect;

import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Detections scored against labels, accumulated over images: each detection (best score first) takes the
 * unmatched labelled face it overlaps most, if by IoU 0.5 or more ({@link TruthFace#overlap}: with the face's
 * bounding box or with its upright box, so a rolled face boxed upright is not counted as a miss plus a false
 * detection); the rest are false. Recall per face-size and
 * roll bucket, precision per size bucket (a false detection counts in the bucket of its own size), average
 * precision (area under the interpolated precision-recall curve, as PASCAL VOC from 2010), and landmark error
 * (mean distance of the five points over the face's size) where the labels have landmarks.
 */
final class DetectionScore {
    static final double IOU = 0.5;
    static final double[] SIZE_EDGES = {0, 20, 40, 80, 160, 320, Double.MAX_VALUE};
    static final double[] ROLL_EDGES = {0, 15, 30, 46};

    final int[] sizeFaces = new int[SIZE_EDGES.length - 1];
    final int[] sizeFound = new int[SIZE_EDGES.length - 1];
    final int[] sizeTrue = new int[SIZE_EDGES.length - 1];
    final int[] sizeFalse = new int[SIZE_EDGES.length - 1];
    final int[] rollFaces = new int[ROLL_EDGES.length - 1];
    final int[] rollFound = new int[ROLL_EDGES.length - 1];
    final List<List<Double>> landmarkErrors = new ArrayList<>();
    /** Faces and found faces per labelled skin tone group, in order of first appearance. */
    final Map<String, int[]> toneFacesFound = new LinkedHashMap<>();
    private final List<double[]> ranked = new ArrayList<>(); // {score, 1 if true}
    int images;
    int faces;
    int found;
    int detections;
    int falseDetections;
    /** Images of a "one face each" folder in which nothing was found, and all such images. */
    int imagesWithoutFace;
    int oneFaceImages;
    final List<String> missedImages = new ArrayList<>();

    DetectionScore() {
        for (int i = 0; i < ROLL_EDGES.length - 1; i++) {
            landmarkErrors.add(new ArrayList<>());
        }
    }

    /** What one image's detections were counted as: each detection with its face's index (-1: false). */
    record Outcome(List<DetectedFace> detections, List<Integer> matchedFace, List<Double> overlaps,
                   List<Integer> missedFaces) {
        boolean clean() {
            return missedFaces.isEmpty() && !matchedFace.contains(-1);
        }
    }

    Outcome add(LabelledImage image, List<DetectedFace> detected) {
        images++;
        if (!image.exhaustive()) {
            oneFaceImages++;
            if (detected.isEmpty()) {
                imagesWithoutFace++;
                missedImages.add(image.name());
            }
            return new Outcome(detected, detected.stream().map(d -> -1).toList(),
                    detected.stream().map(d -> 0.0).toList(), List.of());
        }
        List<Integer> matchedFace = new ArrayList<>();
        List<Double> overlaps = new ArrayList<>();
        List<Integer> missedFaces = new ArrayList<>();
        List<DetectedFace> byScore = new ArrayList<>(detected);
        byScore.sort(Comparator.comparingDouble(DetectedFace::score).reversed());
        List<TruthFace> truth = image.faces();
        boolean[] taken = new boolean[truth.size()];
        for (DetectedFace d : byScore) {
            int best = -1;
            double bestIou = IOU;
            double anyIou = 0;
            for (int t = 0; t < truth.size(); t++) {
                TruthFace f = truth.get(t);
                double iou = f.overlap(d.x1(), d.y1(), d.x2(), d.y2());
                anyIou = Math.max(anyIou, iou);
                if (!taken[t] && iou >= bestIou) {
                    best = t;
                    bestIou = iou;
                }
            }
            matchedFace.add(best);
            overlaps.add(best >= 0 ? bestIou : anyIou);
            detections++;
            if (best >= 0) {
                taken[best] = true;
                TruthFace f = truth.get(best);
                sizeTrue[bucket(SIZE_EDGES, f.side())]++;
                ranked.add(new double[]{d.score(), 1});
                if (f.landmarks().size() == d.landmarks().size() && !f.landmarks().isEmpty()) {
                    landmarkErrors.get(bucket(ROLL_EDGES, Math.abs(f.rotation()))).add(landmarkError(d, f));
                }
            } else {
                falseDetections++;
                sizeFalse[bucket(SIZE_EDGES, Math.max(d.x2() - d.x1(), d.y2() - d.y1()))]++;
                ranked.add(new double[]{d.score(), 0});
            }
        }
        for (int t = 0; t < truth.size(); t++) {
            TruthFace f = truth.get(t);
            faces++;
            int s = bucket(SIZE_EDGES, f.side());
            int r = bucket(ROLL_EDGES, Math.abs(f.rotation()));
            sizeFaces[s]++;
            rollFaces[r]++;
            int[] tone = f.tone().isEmpty() ? new int[2] : toneFacesFound.computeIfAbsent(f.tone(), k -> new int[2]);
            tone[0]++;
            tone[1] += taken[t] ? 1 : 0;
            if (taken[t]) {
                found++;
                sizeFound[s]++;
                rollFound[r]++;
            } else {
                missedFaces.add(t);
                missedImages.add(image.name() + " face " + t + String.format(" (%.0f px, roll %.0f)", f.side(),
                        f.rotation()));
            }
        }
        return new Outcome(byScore, matchedFace, overlaps, missedFaces);
    }

    /** Recall of faces at least {@code minSide} pixels large. */
    double recallFrom(double minSide) {
        int n = 0;
        int k = 0;
        for (int i = 0; i < sizeFaces.length; i++) {
            if (SIZE_EDGES[i] >= minSide) {
                n += sizeFaces[i];
                k += sizeFound[i];
            }
        }
        return n == 0 ? Double.NaN : (double) k / n;
    }

    /** Area under the precision-recall curve with precision made monotone (every-point interpolation). */
    double averagePrecision() {
        if (faces == 0) {
            return Double.NaN;
        }
        List<double[]> sorted = new ArrayList<>(ranked);
        sorted.sort(Comparator.comparingDouble((double[] r) -> r[0]).reversed());
        int n = sorted.size();
        double[] precision = new double[n];
        double[] recall = new double[n];
        int tp = 0;
        for (int i = 0; i < n; i++) {
            tp += (int) sorted.get(i)[1];
            precision[i] = (double) tp / (i + 1);
            recall[i] = (double) tp / faces;
        }
        for (int i = n - 2; i >= 0; i--) {
            precision[i] = Math.max(precision[i], precision[i + 1]);
        }
        double ap = 0;
        double previousRecall = 0;
        for (int i = 0; i < n; i++) {
            ap += (recall[i] - previousRecall) * precision[i];
            previousRecall = recall[i];
        }
        return ap;
    }

    static int bucket(double[] edges, double value) {
        for (int i = edges.length - 2; i >= 0; i--) {
            if (value >= edges[i]) {
                return i;
            }
        }
        return 0;
    }

    private static double landmarkError(DetectedFace d, TruthFace f) {
        double sum = 0;
        for (int i = 0; i < f.landmarks().size(); i++) {
            Landmark a = d.landmarks().get(i);
            Landmark b = f.landmarks().get(i);
            sum += Math.hypot(a.x() - b.x(), a.y() - b.y());
        }
        return sum / f.landmarks().size() / f.side();
    }
}
