package vap.models;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The numerics guard for every network's convolutions (MTCNN, the ResNet embedding net, SSR-Net) under the ISA
 * this JVM runs with: fails when oneDNN miscomputes at that setting on this CPU.
 */
class ConvolutionCheckTest {

    @Test
    void engineConvolutionsMatchPlainJavaAtEveryNetworksShapes() {
        List<String> failures = ConvolutionCheck.failures(Device.cpu());
        assertEquals(List.of(), failures, "at DNNL_MAX_CPU_ISA=" + System.getenv("DNNL_MAX_CPU_ISA"));
    }

    @Test
    void plainReferenceComputesAKnownConvolution() {
        // 1 image, 1 channel 3x3 = 1..9, 2x2 kernel of ones, bias 10, padding 1 at stride 2: corners of the padded sums.
        ConvolutionCheck.Case c = new ConvolutionCheck.Case("known", 1, 1, 1, 3, 2, 2, 1);
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] y = ConvolutionCheck.plain(c, x, new float[]{1, 1, 1, 1}, new float[]{10});
        assertArrayEquals(new float[]{11, 15, 21, 38}, y);
    }

    @Test
    void aResultOffByOnePercentInOneElementIsCaught() {
        float[] expected = {0.5f, -2f, 1f, 0.25f};
        float[] wrong = expected.clone();
        wrong[2] *= 1.01f;
        assertTrue(ConvolutionCheck.worstRelativeError(expected, wrong) > ConvolutionCheck.TOLERANCE);
        assertEquals(0f, ConvolutionCheck.worstRelativeError(expected, expected.clone()));
        float nan = ConvolutionCheck.worstRelativeError(expected, new float[]{0.5f, Float.NaN, 1f, 0.25f});
        assertFalse(nan <= ConvolutionCheck.TOLERANCE, "a NaN must count as wrong");
    }
}
