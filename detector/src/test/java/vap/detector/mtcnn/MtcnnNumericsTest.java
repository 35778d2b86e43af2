package vap.detector.mtcnn;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vap.models.ModelFile;
import vap.models.TfjsWeights;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every network output computed by PyTorch (through DJL) against the same network computed in plain Java
 * ({@link ReferenceNetworks}). This is the guard for PLATFORM.md's CPU numerics bug: on this machine's CPU
 * PyTorch 2.7.1's oneDNN convolutions give wrong numbers unless DNNL_MAX_CPU_ISA caps the ISA at SSE41 (the
 * parent pom sets it for every test JVM). The inputs are batched and large on purpose, because those are the
 * convolutions PyTorch hands to oneDNN; small single inputs take PyTorch's own kernels and would hide the bug.
 */
class MtcnnNumericsTest {
    private static final float TOLERANCE = 2e-3f;

    private static TfjsWeights weights;
    private static ReferenceNetworks reference;
    private static MtcnnNetwork pnet;
    private static MtcnnNetwork rnet;
    private static MtcnnNetwork onet;

    @BeforeAll
    static void load() {
        weights = TfjsWeights.fromManifest(ModelFile.MTCNN_MANIFEST, List.of(ModelFile.MTCNN_SHARD1));
        reference = new ReferenceNetworks(weights);
        pnet = MtcnnNetwork.load(MtcnnNetwork.Stage.PNET, weights, Device.cpu());
        rnet = MtcnnNetwork.load(MtcnnNetwork.Stage.RNET, weights, Device.cpu());
        onet = MtcnnNetwork.load(MtcnnNetwork.Stage.ONET, weights, Device.cpu());
    }

    @AfterAll
    static void close() {
        for (MtcnnNetwork n : new MtcnnNetwork[]{pnet, rnet, onet}) {
            if (n != null) {
                n.close();
            }
        }
    }

    @Test
    void pnetMapsOfABatchOfLargeLevelsMatchPlainJava() throws Exception {
        int batch = 2;
        int w = 161;
        int h = 120;
        float[] data = smoothNoise(batch * 3 * w * h, new Random(7));
        PNetTranslator.Maps maps;
        try (Predictor<NetInput, PNetTranslator.Maps> p = pnet.newPredictor(new PNetTranslator())) {
            maps = p.predict(new NetInput(data, batch, w, h));
        }
        for (int n = 0; n < batch; n++) {
            float[][] expected = reference.pnet(sample(data, n, w, h));
            int cells = maps.cells();
            assertEquals(expected[0].length, cells, "P-Net map size");
            assertClose(expected[0], Arrays.copyOfRange(maps.faceProbability(), n * cells, (n + 1) * cells),
                    "P-Net face probability, frame " + n);
            assertClose(expected[1], Arrays.copyOfRange(maps.regression(), n * 4 * cells, (n + 1) * 4 * cells),
                    "P-Net regression, frame " + n);
        }
    }

    @Test
    void rnetBatchMatchesPlainJava() throws Exception {
        int batch = 5;
        float[] data = smoothNoise(batch * 3 * 24 * 24, new Random(11));
        RNetTranslator.Scores scores;
        try (Predictor<NetInput, RNetTranslator.Scores> p = rnet.newPredictor(new RNetTranslator())) {
            scores = p.predict(new NetInput(data, batch, 24, 24));
        }
        for (int n = 0; n < batch; n++) {
            float[] expected = reference.rnet(sample(data, n, 24, 24));
            float[] actual = new float[5];
            actual[0] = scores.faceProbability()[n];
            System.arraycopy(scores.regression(), 4 * n, actual, 1, 4);
            assertClose(expected, actual, "R-Net crop " + n);
        }
    }

    @Test
    void onetBatchMatchesPlainJava() throws Exception {
        int batch = 3;
        float[] data = smoothNoise(batch * 3 * 48 * 48, new Random(13));
        ONetTranslator.Scores scores;
        try (Predictor<NetInput, ONetTranslator.Scores> p = onet.newPredictor(new ONetTranslator())) {
            scores = p.predict(new NetInput(data, batch, 48, 48));
        }
        for (int n = 0; n < batch; n++) {
            float[] expected = reference.onet(sample(data, n, 48, 48));
            float[] actual = new float[15];
            actual[0] = scores.faceProbability()[n];
            System.arraycopy(scores.regression(), 4 * n, actual, 1, 4);
            System.arraycopy(scores.landmarks(), 10 * n, actual, 5, 10);
            assertClose(expected, actual, "O-Net crop " + n);
        }
    }

    /** Sample n of a {@link NetInput} batch (channels last) as the reference's channel planes. */
    private static ReferenceNetworks.Map3 sample(float[] batch, int n, int a, int b) {
        int plane = a * b;
        float[] planes = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                planes[c * plane + i] = batch[n * 3 * plane + 3 * i + c];
            }
        }
        return new ReferenceNetworks.Map3(3, a, b, planes);
    }

    /** Image-like input in [-1, 1]: random values averaged with their neighbours, so features are not flat. */
    private static float[] smoothNoise(int n, Random rnd) {
        float[] v = new float[n];
        float prev = 0;
        for (int i = 0; i < n; i++) {
            prev = 0.7f * prev + 0.3f * (rnd.nextFloat() * 2 - 1);
            v[i] = Math.max(-1, Math.min(1, prev * 2.5f));
        }
        return v;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        int worst = 0;
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > Math.abs(expected[worst] - actual[worst])) {
                worst = i;
            }
        }
        assertEquals(expected[worst], actual[worst], TOLERANCE, what + ": worst element " + worst
                + " (is DNNL_MAX_CPU_ISA=SSE41 in this JVM's environment?)");
    }
}
