package vap.recognizer.embed;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedding net keeps its tensors channels-last for speed (oneDNN then skips a layout conversion per layer):
 * the memory layout must not change a number, and channelsLast must keep every value at its index.
 */
class FaceEmbeddingNetLayoutTest {

    @Test
    void channelsLastInputGivesWhatAPlainInputGives() {
        int n = 3;
        int s = FaceEmbeddingNet.INPUT_SIZE;
        float[] values = new float[n * 3 * s * s];
        Random random = new Random(7);
        for (int i = 0; i < values.length; i++) {
            values[i] = (random.nextFloat() - 0.5f) * 0.8f;
        }
        try (FaceEmbeddingNet net = new FaceEmbeddingNet(Device.cpu()); NDManager pass = net.newPassManager()) {
            NDArray plain = pass.create(FloatBuffer.wrap(values), new Shape(n, 3, s, s));
            NDArray last = FaceEmbeddingNet.channelsLast(plain);
            assertEquals(plain.getShape(), last.getShape());
            assertTrue(plain.contentEquals(last), "channelsLast moved a value");
            float[] a = net.forward(plain).toFloatArray();
            float[] b = net.forward(last).toFloatArray();
            float largest = 0;
            for (float v : a) {
                largest = Math.max(largest, Math.abs(v));
            }
            assertTrue(largest > 0.01f, "a real descriptor, not zeros");
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-4f * largest, "descriptor value " + i);
            }
        }
    }
}
