package vap.detector.mtcnn;

import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/** O-Net: a batch of 48 x 48 crops in; face probability, box correction and five landmarks per crop out. */
final class ONetTranslator implements Translator<NetInput, ONetTranslator.Scores> {

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
        return new Scores(out.get(0).get(RNetTranslator.FACE_COLUMN).toFloatArray(), out.get(1).toFloatArray(),
                out.get(2).toFloatArray());
    }

    @Override
    public Batchifier getBatchifier() {
        return null;
    }
}
