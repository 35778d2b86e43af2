package vap.detector.mtcnn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/** R-Net: a batch of 24 x 24 candidate crops in, a face probability and a box correction per crop out. */
final class RNetTranslator implements Translator<NetInput, RNetTranslator.Scores> {

    /** @param regression {@code [batch, 4]}: dx1, dy1, dx2, dy2 as fractions of the crop's size */
    record Scores(float[] faceProbability, float[] regression) {
    }

    static final NDIndex FACE_COLUMN = new NDIndex(":, 1");

    @Override
    public NDList processInput(TranslatorContext ctx, NetInput input) {
        return new NDList(input.toNDArray(ctx.getNDManager()));
    }

    @Override
    public Scores processOutput(TranslatorContext ctx, NDList out) {
        return new Scores(out.get(0).get(FACE_COLUMN).toFloatArray(), out.get(1).toFloatArray());
    }

    @Override
    public Batchifier getBatchifier() {
        return null;
    }
}
