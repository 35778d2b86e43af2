package vap.detector.mtcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/** R-Net: a batch of 24 x 24 candidate crops in, a face probability and a box correction per crop out. */
final class RNetTranslator implements Translator<NetInput, RNetTranslator.Scores> {
    /** The stacked heads' columns: two face logits, four box corrections. */
    static final int COLUMNS = 6;

    /** @param regression {@code [batch, 4]}: dx1, dy1, dx2, dy2 as fractions of the crop's size */
    record Scores(float[] faceProbability, float[] regression) {
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
        for (int i = 0; i < batch; i++) {
            int row = i * COLUMNS;
            probability[i] = FaceSoftmax.probability(all[row], all[row + 1]);
            System.arraycopy(all, row + 2, regression, i * 4, 4);
        }
        return new Scores(probability, regression);
    }

    @Override
    public Batchifier getBatchifier() {
        return null;
    }
}
