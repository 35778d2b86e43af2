package vap.recognizer.age;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.bytedeco.opencv.opencv_core.Mat;
import vap.vision.image.FacePixels;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Age crops in (the detector's 64x64 box with a 0.4 margin; other sizes are resized), ages in years out,
 * {@code batchSize} crops per forward pass. SSR-Net reads raw 0..255 values in BGR order, as the seed's
 * OpenCV-fed model did (MODELS.md: BGR gives the plausible ages; AgeEstimatorTest checks both orders).
 */
public final class AgeEstimator implements AutoCloseable {
    private final SsrNetGraph net;
    private final int batchSize;
    private final boolean rgb;

    public AgeEstimator(SsrNetGraph net, int batchSize) {
        this(net, batchSize, false);
    }

    /** {@code rgb} swaps the channels before the net; only for checking which order the weights expect. */
    AgeEstimator(SsrNetGraph net, int batchSize, boolean rgb) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.net = net;
        this.batchSize = batchSize;
        this.rgb = rgb;
    }

    public float estimate(Mat ageCrop) {
        return estimate(List.of(ageCrop)).get(0);
    }

    public List<Float> estimate(List<Mat> ageCrops) {
        List<Float> out = new ArrayList<>(ageCrops.size());
        for (int from = 0; from < ageCrops.size(); from += batchSize) {
            out.addAll(estimateBatch(ageCrops.subList(from, Math.min(ageCrops.size(), from + batchSize))));
        }
        return out;
    }

    private List<Float> estimateBatch(List<Mat> crops) {
        int s = SsrNetGraph.INPUT_SIZE;
        int n = crops.size();
        float[] input = new float[n * s * s * 3];
        for (int i = 0; i < n; i++) {
            byte[] bgr = FacePixels.bytes(FacePixels.resized(crops.get(i), s));
            int base = i * s * s * 3;
            for (int p = 0; p < s * s; p++) {
                for (int c = 0; c < 3; c++) {
                    input[base + 3 * p + c] = bgr[3 * p + (rgb ? 2 - c : c)] & 0xff;
                }
            }
        }
        float[] ages;
        try (NDManager pass = net.newPassManager()) {
            NDArray x = pass.create(FloatBuffer.wrap(input), new Shape(n, s, s, 3));
            ages = net.forward(x).toFloatArray();
        }
        List<Float> out = new ArrayList<>(n);
        for (float a : ages) {
            out.add(a);
        }
        return out;
    }

    @Override
    public void close() {
        net.close();
    }
}
