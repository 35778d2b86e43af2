package vap.detector.mtcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/** O-Net: a batch of 48 x 48 crops in; face probability, box correction and five landmarks per crop out. */
final class ONetTranslator implements Translator<NetInput, ONetTranslator.Scores> {
    /** The stacked heads' columns: two face logits, four box corrections, ten landmark coordinates. */
    static final int COLUMNS = 16;

    /**
     * @param regression {@code [batch, 4]}: dx1, dy1, dx2, dy2 as fractions of the crop's size
     * @param landmarks  {@code [batch, 10]}: five x then five y, as fractions of the crop's size
     */
    record Scores(float[] faceProbability, float[] regression, float[] landmarks) {
    }

    @Override
    public NDList processInput(TranslatorContext ctx, NetInput input) {
        return new NDList(input.toNDArray(ctx.getNDManager()));
    }

    @Override
    public Scores processOutput(TranslatorContext ctx, NDList out) {
        NDArray heads = out.singletonOrThrow();
        int batch = (int) heads.getShape().get(0);
        float[] all = heads.toFloatArray();
        float[] probability = new float[batch];
        float[] regression = new float[batch * 4];
        float[] landmarks = new float[batch * 10];
        for (int i = 0; i < batch; i++) {
            int row = i * COLUMNS;
            probability[i] = FaceSoftmax.probability(all[row], all[row + 1]);
            System.arraycopy(all, row + 2, regression, i * 4, 4);
            System.arraycopy(all, row + 6, landmarks, i * 10, 10);
        }
        return new Scores(probability, regression, landmarks);
    }

    @Override
    public Batchifier getBatchifier() {
        return null;
    }
}
