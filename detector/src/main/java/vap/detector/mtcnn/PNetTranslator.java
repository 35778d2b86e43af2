package vap.detector.mtcnn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/** P-Net: a batch of same-sized pyramid levels in, the face-probability and box-regression maps out. */
final class PNetTranslator implements Translator<NetInput, PNetTranslator.Maps> {

    /**
     * @param faceProbability {@code [batch, mapWidth, mapHeight]}: probability that the 12 x 12 cell is a face
     * @param regression      {@code [batch, 4, mapWidth, mapHeight]}: box corrections dx1, dy1, dx2, dy2
     */
    record Maps(int batch, int mapWidth, int mapHeight, float[] faceProbability, float[] regression) {
        int cells() {
            return mapWidth * mapHeight;
        }
    }

    private static final NDIndex FACE_CHANNEL = new NDIndex(":, 1");

    @Override
    public NDList processInput(TranslatorContext ctx, NetInput input) {
        return new NDList(input.toNDArray(ctx.getNDManager()));
    }

    @Override
    public Maps processOutput(TranslatorContext ctx, NDList out) {
        var probability = out.get(0);
        long[] shape = probability.getShape().getShape();
        return new Maps((int) shape[0], (int) shape[2], (int) shape[3],
                probability.get(FACE_CHANNEL).toFloatArray(), out.get(1).toFloatArray());
    }

    @Override
    public Batchifier getBatchifier() {
        // The input already is a batch: the detector stacks frames and crops itself.
        return null;
    }
}
