package vap.recognizer.embed;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vap.models.ModelFile;
import vap.models.TfjsWeights;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The landmark net on PyTorch (through DJL) against the same weights run by {@link ReferenceLandmarkNet} in plain
 * Java, on a batch of two smooth-noise inputs (batched on purpose: those convolutions go to oneDNN, whose vector
 * kernels have miscomputed on this project's hosts, PLATFORM.md). Fails if a layer, a padding, the dense blocks'
 * sums or the weights' layout is wrong.
 */
class FaceLandmarkNetNumericsTest {
    private static final float TOLERANCE = 1e-3f;

    private static FaceLandmarkNet net;
    private static ReferenceLandmarkNet reference;

    @BeforeAll
    static void load() {
        net = new FaceLandmarkNet(Device.cpu());
        reference = new ReferenceLandmarkNet(TfjsWeights.fromManifest(ModelFile.FACE_LANDMARK_68_MANIFEST,
                List.of(ModelFile.FACE_LANDMARK_68_SHARD1)));
    }

    @AfterAll
    static void close() {
        net.close();
    }

    @Test
    void aBatchOfTwoMatchesPlainJava() {
        int s = FaceLandmarkNet.INPUT_SIZE;
        int batch = 2;
        float[] input = smoothNoise(batch * 3 * s * s, new Random(11));
        float[] ours;
        try (NDManager pass = net.newPassManager()) {
            ours = net.forward(pass.create(FloatBuffer.wrap(input), new Shape(batch, 3, s, s))).toFloatArray();
        }
        assertEquals(batch * 2 * FaceLandmarkNet.POINTS, ours.length);
        float worst = 0;
        float largest = 0;
        for (int b = 0; b < batch; b++) {
            float[] one = new float[3 * s * s];
            System.arraycopy(input, b * one.length, one, 0, one.length);
            float[] expected = reference.forward(one);
            for (int j = 0; j < expected.length; j++) {
                worst = Math.max(worst, Math.abs(expected[j] - ours[b * expected.length + j]));
                largest = Math.max(largest, Math.abs(expected[j]));
            }
        }
        System.out.printf("landmark net: largest |output| %.4f, worst difference to plain Java %.2e%n", largest, worst);
        assertTrue(largest > 0.1f, "outputs are point coordinates in 0..1, not all near zero: " + largest);
        assertTrue(worst <= TOLERANCE, "PyTorch vs plain Java: worst difference " + worst);
    }

    /** Values in [-0.5, 0.5] that vary smoothly across the image, as a normalised photo does. */
    static float[] smoothNoise(int n, Random random) {
        float[] out = new float[n];
        float v = 0;
        for (int i = 0; i < n; i++) {
            v = 0.9f * v + 0.1f * (random.nextFloat() - 0.5f) * 5;
            out[i] = Math.max(-0.5f, Math.min(0.5f, v));
        }
        return out;
    }
}
