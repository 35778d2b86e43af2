package vap.vision.align;

/**
 * The trees of one cascade stage of a dlib shape predictor, flattened into arrays: per tree its splits (two
 * feature pixels and a threshold on their intensity difference, breadth-first in a complete binary tree) and its
 * leaves (shape updates). Read from dlib's serialization of {@code std::vector<impl::regression_tree>}.
 */
final class RegressionForest {
    private final int count;
    private final int splits;
    private final int[] first;
    private final int[] second;
    private final float[] thresholds;
    private final float[] leaves;
    private final int shapeLength;

    private RegressionForest(int count, int splits, int[] first, int[] second, float[] thresholds, float[] leaves,
                             int shapeLength) {
        this.count = count;
        this.splits = splits;
        this.first = first;
        this.second = second;
        this.thresholds = thresholds;
        this.leaves = leaves;
        this.shapeLength = shapeLength;
    }

    static RegressionForest read(DlibInput in, int shapeLength) {
        int count = in.count();
        if (count == 0) {
            return new RegressionForest(0, 0, new int[0], new int[0], new float[0], new float[0], shapeLength);
        }
        int splits = in.count();
        int[] first = new int[count * splits];
        int[] second = new int[count * splits];
        float[] thresholds = new float[count * splits];
        float[] leaves = new float[count * (splits + 1) * shapeLength];
        for (int t = 0; t < count; t++) {
            int s = t == 0 ? splits : in.count();
            if (s != splits) {
                throw in.corrupt("tree " + t + " has " + s + " splits, the stage's first " + splits);
            }
            for (int i = t * splits; i < (t + 1) * splits; i++) {
                first[i] = in.count();
                second[i] = in.count();
                thresholds[i] = in.real();
            }
            if (in.count() != splits + 1) {
                throw in.corrupt("tree " + t + ": leaves are not splits + 1");
            }
            for (int l = 0; l <= splits; l++) {
                float[] update = in.column();
                if (update.length != shapeLength) {
                    throw in.corrupt("leaf of length " + update.length + " for a shape of " + shapeLength);
                }
                System.arraycopy(update, 0, leaves, (t * (splits + 1) + l) * shapeLength, shapeLength);
            }
        }
        return new RegressionForest(count, splits, first, second, thresholds, leaves, shapeLength);
    }

    int count() {
        return count;
    }

    int splits() {
        return splits;
    }

    void checkFeatures(int features) {
        for (int i = 0; i < first.length; i++) {
            if (first[i] >= features || second[i] >= features) {
                throw new IllegalStateException("split reads feature " + Math.max(first[i], second[i]) + " of " + features);
            }
        }
    }

    /** Walks every tree (left when the difference exceeds the threshold, as dlib) and adds its leaf to the shape. */
    void addUpdates(int[] values, float[] shape) {
        for (int t = 0; t < count; t++) {
            int base = t * splits;
            int node = 0;
            while (node < splits) {
                float difference = (float) (values[first[base + node]] - values[second[base + node]]);
                node = difference > thresholds[base + node] ? 2 * node + 1 : 2 * node + 2;
            }
            int leaf = (t * (splits + 1) + node - splits) * shapeLength;
            for (int i = 0; i < shapeLength; i++) {
                shape[i] += leaves[leaf + i];
            }
        }
    }
}
