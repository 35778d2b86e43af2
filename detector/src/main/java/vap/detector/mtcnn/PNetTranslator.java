package vap.detector.mtcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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

    @Override
    public NDList processInput(TranslatorContext ctx, NetInput input) {
        return new NDList(input.toNDArray(ctx.getNDManager()));
    }

    @Override
    public Maps processOutput(TranslatorContext ctx, NDList out) {
        return fromLogits(out.singletonOrThrow());
    }

    /**
     * The stacked heads' output {@code [batch, 6, w', h']}: two face logits, then the four box corrections. The
     * softmax over the two logits is computed here ({@link FaceSoftmax}).
     */
    private static Maps fromLogits(NDArray heads) {
        long[] shape = heads.getShape().getShape();
        int batch = (int) shape[0];
        int cells = (int) (shape[2] * shape[3]);
        float[] all = heads.toFloatArray();
        float[] probability = new float[batch * cells];
        float[] regression = new float[batch * 4 * cells];
        for (int n = 0; n < batch; n++) {
            int base = n * 6 * cells;
            for (int k = 0; k < cells; k++) {
                probability[n * cells + k] = FaceSoftmax.probability(all[base + k], all[base + cells + k]);
            }
            System.arraycopy(all, base + 2 * cells, regression, n * 4 * cells, 4 * cells);
        }
        return new Maps(batch, (int) shape[2], (int) shape[3], probability, regression);
    }

    @Override
    public Batchifier getBatchifier() {
        // The input already is a batch: the detector stacks frames and crops itself.
        return null;
    }
}
