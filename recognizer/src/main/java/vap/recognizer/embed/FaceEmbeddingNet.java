package vap.recognizer.embed;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import vap.models.ModelFile;
import vap.models.TfjsWeights;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * dlib's ResNet-34 face descriptor as ported by face-api.js (FaceRecognitionNet), rebuilt on DJL's PyTorch
 * engine from the uint8-quantised TF.js weights. Input: NCHW float, RGB, already (x - mean) / 256, 150x150.
 * Output: the raw 128-d descriptor (the caller normalises). Layer order and the zero-padding of the
 * down-sampling shortcuts follow face-api.js src/faceRecognitionNet exactly.
 */
public final class FaceEmbeddingNet implements AutoCloseable {
    public static final int INPUT_SIZE = 150;
    public static final int DIMENSION = 128;
    /** Per-channel means in RGB order; the net divides by 256 after subtracting them. */
    static final float[] MEAN_RGB = {122.782f, 117.001f, 104.298f};
    static final float SCALE = 256f;

    private static final Shape ONE = new Shape(1, 1);
    private static final Shape TWO = new Shape(2, 2);

    private final NDManager manager;
    private final Map<String, NDArray> params = new HashMap<>();

    public FaceEmbeddingNet(Device device) {
        this.manager = NDManager.newBaseManager(device);
        TfjsWeights weights = TfjsWeights.fromManifest(ModelFile.FACE_RECOGNITION_MANIFEST,
                List.of(ModelFile.FACE_RECOGNITION_SHARD1, ModelFile.FACE_RECOGNITION_SHARD2));
        weights.all().forEach((name, t) -> {
            long[] shape = new long[t.shape().length];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.shape()[i];
            }
            NDArray a = manager.create(t.values(), new Shape(shape));
            if (shape.length == 4) {
                a = a.transpose(3, 2, 0, 1); // HWIO -> OIHW
            } else if (shape.length == 1 && name.contains("/scale/")) {
                a = a.reshape(1, shape[0], 1, 1); // per-channel scale layers broadcast over NCHW
            }
            params.put(name, a);
        });
        foldScales();
    }

    /**
     * Every conv is followed by a per-channel scale and shift; folded into the conv's filters and bias once
     * (conv(x, W, b) * s + t = conv(x, W * s, b * s + t)), a forward pass saves two passes over each feature map.
     */
    private void foldScales() {
        List<String> convs = params.keySet().stream().filter(n -> n.endsWith("/conv/filters"))
                .map(n -> n.substring(0, n.length() - "/conv/filters".length())).toList();
        for (String prefix : convs) {
            NDArray scale = params.remove(prefix + "/scale/weights");
            NDArray shift = params.remove(prefix + "/scale/biases");
            NDArray filters = params.get(prefix + "/conv/filters");
            NDArray bias = params.get(prefix + "/conv/bias");
            params.put(prefix + "/conv/filters", channelsLast(filters.mul(scale.reshape(-1, 1, 1, 1))));
            params.put(prefix + "/conv/bias", bias.mul(scale.reshape(-1)).add(shift.reshape(-1)));
        }
    }

    public Device device() {
        return manager.getDevice();
    }

    /**
     * The same [N, C, H, W] array stored channels-last (N, H, W, C in memory): oneDNN's convolutions then read and
     * write it as it is, instead of converting every input and output to and from their blocked layout.
     */
    static NDArray channelsLast(NDArray nchw) {
        Shape s = nchw.getShape();
        // reshape cannot view the permuted array, so it copies it into N, H, W, C order; the permute back is a view.
        return nchw.transpose(0, 2, 3, 1).reshape(s.get(0), s.get(2), s.get(3), s.get(1)).transpose(0, 3, 1, 2);
    }

    /** A manager for one forward pass: closing it frees every intermediate tensor. */
    public NDManager newPassManager() {
        return manager.newSubManager();
    }

    /** Runs the net; {@code input} is [N,3,150,150] on this net's device, the result [N,128] lives in its manager. */
    public NDArray forward(NDArray input) {
        NDArray out = convLayer(input, "conv32_down", 2, true);
        out = Pool.maxPool2d(out, new Shape(3, 3), TWO, new Shape(0, 0), false);

        out = residual(out, "conv32_1");
        out = residual(out, "conv32_2");
        out = residual(out, "conv32_3");

        out = residualDown(out, "conv64_down");
        out = residual(out, "conv64_1");
        out = residual(out, "conv64_2");
        out = residual(out, "conv64_3");

        out = residualDown(out, "conv128_down");
        out = residual(out, "conv128_1");
        out = residual(out, "conv128_2");

        out = residualDown(out, "conv256_down");
        out = residual(out, "conv256_1");
        out = residual(out, "conv256_2");
        out = residualDown(out, "conv256_down_out");

        // PtNDArray.mean(int[]) reduces one axis at a time (MODELS.md), so reduce W then H explicitly.
        NDArray globalAvg = out.mean(new int[] {3}).mean(new int[] {2});
        return globalAvg.matMul(params.get("fc"));
    }

    /** conv (stride 1 "same" or stride 2 "valid") with the scale folded in, optional ReLU. */
    private NDArray convLayer(NDArray x, String prefix, int stride, boolean relu) {
        NDArray filters = params.get(prefix + "/conv/filters");
        long k = filters.getShape().get(2);
        long pad = stride == 1 ? k / 2 : 0;
        NDList conv = Conv2d.conv2d(x, filters, params.get(prefix + "/conv/bias"),
                new Shape(stride, stride), new Shape(pad, pad), ONE, 1);
        NDArray out = conv.singletonOrThrow();
        return relu ? out.clip(0f, Float.MAX_VALUE) : out;
    }

    private NDArray residual(NDArray x, String block) {
        NDArray out = convLayer(x, block + "/conv1", 1, true);
        out = convLayer(out, block + "/conv2", 1, false);
        return out.add(x).clip(0f, Float.MAX_VALUE);
    }

    private NDArray residualDown(NDArray x, String block) {
        NDArray out = convLayer(x, block + "/conv1", 2, true);
        out = convLayer(out, block + "/conv2", 1, false);
        NDArray pooled = Pool.avgPool2d(x, TWO, TWO, new Shape(0, 0), false, true);
        Shape p = pooled.getShape();
        Shape o = out.getShape();
        if (p.get(2) != o.get(2) || p.get(3) != o.get(3)) {
            // face-api.js appends one zero row and one zero column when the strided conv comes out smaller.
            out = out.concat(out.getManager().zeros(new Shape(o.get(0), o.get(1), 1, o.get(3)), DataType.FLOAT32), 2);
            o = out.getShape();
            out = out.concat(out.getManager().zeros(new Shape(o.get(0), o.get(1), o.get(2), 1), DataType.FLOAT32), 3);
        }
        if (p.get(1) != out.getShape().get(1)) {
            // The shortcut doubles its channels with zeros.
            pooled = pooled.concat(pooled.zerosLike(), 1);
        }
        return pooled.add(out).clip(0f, Float.MAX_VALUE);
    }

    @Override
    public void close() {
        manager.close();
    }
}
