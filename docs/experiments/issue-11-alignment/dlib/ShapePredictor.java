package vap.vision.align;

import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;

import java.io.IOException;
import java.nio.file.Path;

/**
 * dlib's {@code shape_predictor} (Kazemi and Sullivan 2014, an ensemble of regression trees) read from its
 * serialized file (e.g. Debian's libdlib-data {@code shape_predictor_68_face_landmarks.dat}) and evaluated as
 * dlib evaluates it: the mean shape placed in a face box, then per cascade stage the feature pixels (each an
 * offset from one shape point, turned and scaled with the shape) are read from the grey image and every tree of
 * the stage adds the shape update of the leaf their intensity differences lead to.
 *
 * <p>Shapes are {@code float[2 * points]}: x0, y0, x1, y1, ... Immutable after loading and thread-safe.
 */
public final class ShapePredictor {
    /** The iBUG 68-point layout's eye contours, nose tip and mouth corners, in MTCNN's landmark order. */
    private static final int[][] FIVE_POINT_PARTS = {{36, 37, 38, 39, 40, 41}, {42, 43, 44, 45, 46, 47}, {30}, {48}, {54}};

    private final float[] meanShape;
    private final Stage[] stages;

    private ShapePredictor(float[] meanShape, Stage[] stages) {
        this.meanShape = meanShape;
        this.stages = stages;
    }

    /** Reads a file written by dlib's {@code serialize(shape_predictor)} (version 1). */
    public static ShapePredictor load(Path file) throws IOException {
        return read(DlibInput.of(file));
    }

    static ShapePredictor read(DlibInput in) {
        long version = in.integer();
        if (version != 1) {
            throw in.corrupt("unknown shape_predictor version " + version);
        }
        float[] mean = in.column();
        if (mean.length == 0 || mean.length % 2 != 0) {
            throw in.corrupt("mean shape of odd or zero length " + mean.length);
        }
        int stageCount = in.count();
        RegressionForest[] forests = new RegressionForest[stageCount];
        for (int s = 0; s < stageCount; s++) {
            forests[s] = RegressionForest.read(in, mean.length);
        }
        if (in.count() != stageCount) {
            throw in.corrupt("anchor lists do not match the " + stageCount + " stages");
        }
        int[][] anchors = new int[stageCount][];
        for (int s = 0; s < stageCount; s++) {
            anchors[s] = new int[in.count()];
            for (int i = 0; i < anchors[s].length; i++) {
                anchors[s][i] = in.count();
                if (anchors[s][i] >= mean.length / 2) {
                    throw in.corrupt("anchor " + anchors[s][i] + " is no shape point");
                }
            }
        }
        if (in.count() != stageCount) {
            throw in.corrupt("offset lists do not match the " + stageCount + " stages");
        }
        Stage[] stages = new Stage[stageCount];
        for (int s = 0; s < stageCount; s++) {
            int n = in.count();
            if (n != anchors[s].length) {
                throw in.corrupt("stage " + s + ": " + n + " offsets for " + anchors[s].length + " anchors");
            }
            float[] deltas = new float[2 * n];
            for (int i = 0; i < deltas.length; i++) {
                deltas[i] = in.real();
            }
            stages[s] = new Stage(anchors[s], deltas, forests[s]);
        }
        if (!in.atEnd()) {
            throw in.corrupt("trailing bytes after the predictor");
        }
        return new ShapePredictor(mean, stages);
    }

    public int pointCount() {
        return meanShape.length / 2;
    }

    public int stageCount() {
        return stages.length;
    }

    /** Trees in stage {@code s}. */
    public int treeCount(int s) {
        return stages[s].trees.count();
    }

    /** Leaves per tree in stage {@code s} (all trees of a stage are complete binary trees of one depth). */
    public int leafCount(int s) {
        return stages[s].trees.splits() + 1;
    }

    /** Feature pixels stage {@code s} reads. */
    public int featureCount(int s) {
        return stages[s].anchors.length;
    }

    /** The mean shape in box units (a copy). */
    public float[] meanShape() {
        return meanShape.clone();
    }

    /** The shape in image pixels of the face in {@code box}. */
    public float[] predict(GreyImage image, ShapeBox box) {
        float[] shape = meanShape.clone();
        int[] values = new int[0];
        for (Stage stage : stages) {
            if (values.length != stage.anchors.length) {
                values = new int[stage.anchors.length];
            }
            stage.readFeatures(image, box, meanShape, shape, values);
            stage.trees.addUpdates(values, shape);
        }
        float[] out = new float[shape.length];
        for (int i = 0; i < shape.length; i += 2) {
            out[i] = (float) box.x(shape[i]);
            out[i + 1] = (float) box.y(shape[i + 1]);
        }
        return out;
    }

    /** The shape of {@code face}, in the box {@link #boxFor} derives from its five landmarks. */
    public float[] predict(GreyImage image, DetectedFace face) {
        return predict(image, boxFor(face));
    }

    /**
     * The square box that puts the mean shape's eye centres, nose tip and mouth corners where MTCNN found them:
     * scale from the least-squares similarity fit of the five points (so a rolled face keeps its size), the box
     * axis-aligned like dlib's detector boxes the predictor was trained on. MTCNN's own box sits differently
     * (tighter, higher), and the cascade does not recover from a start that far off.
     */
    public ShapeBox boxFor(DetectedFace face) {
        if (pointCount() != 68) {
            throw new IllegalStateException("the five-point box needs the 68-point layout, this model has " + pointCount());
        }
        int n = FIVE_POINT_PARTS.length;
        double[] mean = new double[2 * n];
        double[] found = new double[2 * n];
        for (int i = 0; i < n; i++) {
            for (int part : FIVE_POINT_PARTS[i]) {
                mean[2 * i] += meanShape[2 * part] / FIVE_POINT_PARTS[i].length;
                mean[2 * i + 1] += meanShape[2 * part + 1] / FIVE_POINT_PARTS[i].length;
            }
            Landmark q = face.landmark(i);
            found[2 * i] = q.x();
            found[2 * i + 1] = q.y();
        }
        // The scale of the full fit, the translation that keeps the centroids together without the rotation.
        double scale = Similarity.fit(mean, found).scale();
        double mpx = 0;
        double mpy = 0;
        double mqx = 0;
        double mqy = 0;
        for (int i = 0; i < n; i++) {
            mpx += mean[2 * i] / n;
            mpy += mean[2 * i + 1] / n;
            mqx += found[2 * i] / n;
            mqy += found[2 * i + 1] / n;
        }
        return new ShapeBox(mqx - scale * mpx, mqy - scale * mpy, scale, scale);
    }

    /** One cascade stage: where its feature pixels sit relative to the mean shape, and its trees. */
    private static final class Stage {
        final int[] anchors;
        final float[] deltas;
        final RegressionForest trees;

        Stage(int[] anchors, float[] deltas, RegressionForest trees) {
            this.anchors = anchors;
            this.deltas = deltas;
            this.trees = trees;
            trees.checkFeatures(anchors.length);
        }

        /**
         * The intensities of the feature pixels for the current shape: each offset turned and scaled by the
         * similarity that maps the mean shape onto the current one, added to its anchor point, rounded to a pixel.
         */
        void readFeatures(GreyImage image, ShapeBox box, float[] mean, float[] shape, int[] values) {
            Similarity turn = Similarity.fit(mean, shape);
            float a = (float) turn.a();
            float b = (float) turn.b();
            for (int i = 0; i < anchors.length; i++) {
                float dx = deltas[2 * i];
                float dy = deltas[2 * i + 1];
                float u = a * dx - b * dy + shape[2 * anchors[i]];
                float v = b * dx + a * dy + shape[2 * anchors[i] + 1];
                values[i] = image.at((int) Math.floor(box.x(u) + 0.5), (int) Math.floor(box.y(v) + 0.5));
            }
        }
    }
}
