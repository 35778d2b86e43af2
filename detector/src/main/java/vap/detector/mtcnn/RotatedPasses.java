package vap.detector.mtcnn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Finds heads rolled in the image plane. The image is turned by every extra angle of
 * {@link MtcnnConfig#rotations()}, so a head leaning that way stands upright for R-Net and O-Net; they score
 * P-Net's upright candidates moved onto the turned image plus P-Net's own proposals there, which look only for
 * faces of {@link MtcnnConfig#rotationMinFaceSize()} and up (P-Net dominates the cost at small face sizes; 0 = no
 * turned P-Net). Faces found that way come back as the bounding box of the turned box, landmarks turned back;
 * they only add faces the upright pass missed.
 */
final class RotatedPasses {
    /** A turned face overlapping an upright one by this much of the smaller box is the same face. */
    private static final float SAME_FACE = 0.5f;
    /**
     * O-Net score a face found only on a turned frame needs: every extra angle scores every candidate again, so
     * chance faces multiply; at thresholds 0.5/0.5/0.8 a turned pass found clothing on sample4 (1920 px) at 0.855,
     * while its rolled faces scored 0.998-1.0.
     */
    static final float TURNED_MIN_SCORE = 0.9f;

    private final List<Double> angles;

    RotatedPasses(MtcnnConfig config) {
        this.angles = config.extraRotations();
    }

    boolean enabled() {
        return !angles.isEmpty();
    }

    /** A turned copy of each frame per extra angle, holding that frame's P-Net candidates moved onto it. */
    List<Turned> turn(List<WorkFrame> frames) {
        List<Turned> out = new ArrayList<>();
        for (WorkFrame f : frames) {
            for (double angle : angles) {
                FrameRotation r = new FrameRotation(f.image.cols(), f.image.rows(), angle);
                WorkFrame turned = WorkFrame.rotated(f, r);
                List<Candidate> moved = new ArrayList<>(f.candidates.size());
                for (Candidate c : f.candidates) {
                    moved.add(onto(c, r));
                }
                turned.candidates = moved;
                out.add(new Turned(f, turned, r));
            }
        }
        return out;
    }

    /**
     * Adds P-Net's own proposals on the turned frames (heads leaning so far that upright P-Net misses them), if a
     * pyramid for that is given; the candidates moved from the upright frame stay.
     */
    void propose(List<Turned> turned, PyramidStage pyramid, Function<NetInput, PNetTranslator.Maps> pnet) {
        if (pyramid == null || turned.isEmpty()) {
            return;
        }
        List<WorkFrame> frames = new ArrayList<>(turned.size());
        List<List<Candidate>> moved = new ArrayList<>(turned.size());
        for (Turned t : turned) {
            frames.add(t.frame);
            moved.add(t.frame.candidates);
        }
        pyramid.propose(frames, pnet);
        for (int i = 0; i < frames.size(); i++) {
            List<Candidate> all = new ArrayList<>(frames.get(i).candidates);
            all.addAll(moved.get(i));
            frames.get(i).candidates = all;
        }
    }

    /** Adds each turned frame's faces to its source frame, unless the upright pass already has that face. */
    void merge(List<WorkFrame> frames, List<Turned> turned) {
        for (WorkFrame f : frames) {
            List<Candidate> extra = new ArrayList<>();
            for (Turned t : turned) {
                if (t.source == f) {
                    t.frame.candidates.forEach(c -> extra.add(back(c, t.rotation)));
                }
            }
            if (extra.isEmpty()) {
                continue;
            }
            extra.sort(Comparator.comparingDouble((Candidate c) -> c.score).reversed());
            List<Candidate> kept = new ArrayList<>(f.candidates);
            for (Candidate c : extra) {
                if (c.score >= TURNED_MIN_SCORE && kept.stream().noneMatch(k -> NonMaxSuppression.overlap(k, c, NonMaxSuppression.Overlap.MIN)
                        > SAME_FACE)) {
                    kept.add(c);
                }
            }
            kept.sort(Comparator.comparingDouble((Candidate c) -> c.score).reversed());
            f.candidates = kept;
        }
    }

    /** A square candidate (1-based inclusive corners) moved onto the turned canvas: same size, centre turned. */
    private static Candidate onto(Candidate c, FrameRotation r) {
        double[] centre = r.forward((c.x1 - 1 + c.x2) / 2.0, (c.y1 - 1 + c.y2) / 2.0);
        float half = (c.x2 - c.x1 + 1) / 2f;
        return new Candidate((int) (centre[0] - half + 1), (int) (centre[1] - half + 1),
                (int) (centre[0] + half), (int) (centre[1] + half), c.score);
    }

    /** A face of the turned canvas in the source frame: bounding box of its turned corners, landmarks turned. */
    private static Candidate back(Candidate c, FrameRotation r) {
        double[][] corners = {r.inverse(c.x1 - 1, c.y1 - 1), r.inverse(c.x2, c.y1 - 1),
                r.inverse(c.x1 - 1, c.y2), r.inverse(c.x2, c.y2)};
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (double[] p : corners) {
            minX = Math.min(minX, p[0]);
            minY = Math.min(minY, p[1]);
            maxX = Math.max(maxX, p[0]);
            maxY = Math.max(maxY, p[1]);
        }
        Candidate out = new Candidate((float) minX + 1, (float) minY + 1, (float) maxX, (float) maxY, c.score);
        out.landmarks = new float[c.landmarks.length];
        int n = c.landmarks.length / 2;
        for (int j = 0; j < n; j++) {
            double[] p = r.inverse(c.landmarks[j], c.landmarks[j + n]);
            out.landmarks[j] = (float) p[0];
            out.landmarks[j + n] = (float) p[1];
        }
        return out;
    }

    /** A turned copy of a frame. */
    record Turned(WorkFrame source, WorkFrame frame, FrameRotation rotation) {
    }
}
