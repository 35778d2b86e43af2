package vap.detector.mtcnn;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.translate.Translator;
import vap.models.TfjsWeights;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One of the three MTCNN networks as a DJL block on the PyTorch engine, with the weights of the original MTCNN
 * release (TF.js layout, see MODELS.md). Every network takes the image transposed, NCHW with H and W swapped:
 * {@code [N, 3, width, height]}, BGR, scaled to [-1, 1).
 *
 * <ul>
 *   <li>P-Net (fully convolutional, any size >= 12): one map {@code [N, 6, w', h']}, the two face logits
 *       (not-face, face; {@link PNetTranslator} takes their softmax) and the four box regressions.</li>
 *   <li>R-Net (24 x 24): one {@code [N, 6]}, two face logits and four box regressions
 *       ({@link RNetTranslator}).</li>
 *   <li>O-Net (48 x 48): one {@code [N, 16]}, two face logits, four box regressions and ten landmark coordinates
 *       ({@link ONetTranslator}).</li>
 * </ul>
 */
final class MtcnnNetwork implements AutoCloseable {

    enum Stage {
        PNET("pnet", 12), RNET("rnet", 24), ONET("onet", 48);

        final String prefix;
        final int inputSize;

        Stage(String prefix, int inputSize) {
            this.prefix = prefix;
            this.inputSize = inputSize;
        }
    }

    private final Stage stage;
    private final Model model;

    private MtcnnNetwork(Stage stage, Model model) {
        this.stage = stage;
        this.model = model;
    }

    static MtcnnNetwork load(Stage stage, TfjsWeights weights, Device device) {
        Model model = Model.newInstance("mtcnn-" + stage.prefix, device, "PyTorch");
        try {
            WeightBinder binder = new WeightBinder(weights, stage.prefix);
            Block block = switch (stage) {
                case PNET -> pnet(binder);
                case RNET -> rnet(binder);
                case ONET -> onet(binder);
            };
            block.initialize(model.getNDManager(), DataType.FLOAT32,
                    new Shape(1, 3, stage.inputSize, stage.inputSize));
            binder.copyWeights();
            model.setBlock(block);
            return new MtcnnNetwork(stage, model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    Stage stage() {
        return stage;
    }

    <I, O> Predictor<I, O> newPredictor(Translator<I, O> translator) {
        return model.newPredictor(translator);
    }

    @Override
    public void close() {
        model.close();
    }

    private static Block pnet(WeightBinder w) {
        return new SequentialBlock()
                // 10 feature maps padded to 16 (as R-Net's): full vectors for PReLU and pooling, 8.3 -> 7.7 ms a frame.
                .add(w.conv("conv1", 10, 3, 16)).add(w.prelu("prelu1_alpha", 10, true))
                .add(MaxPooling.same(2, 2))
                .add(w.conv("conv2", 16, 3)).add(w.prelu("prelu2_alpha", 16, true))
                .add(w.conv("conv3", 32, 3)).add(w.prelu("prelu3_alpha", 32, true))
                // Both 1 x 1 heads as one convolution, the softmax in PNetTranslator: two operators less on each
                // of a frame's twelve passes, P-Net 9.1 -> 8.2 ms a frame.
                .add(w.stackedConv(1, "conv4_1", 2, "conv4_2", 4));
    }

    private static Block rnet(WeightBinder w) {
        return new SequentialBlock()
                // 28 feature maps padded to 32 with zero filters (zeros through PReLU, pooling and conv2's zero
                // weights): the channels-last pooling then runs full vectors (MaxPooling), 2.0 -> 1.0 ms at 95 crops.
                .add(w.conv("conv1", 28, 3, 32)).add(w.prelu("prelu1_alpha", 28, true))
                .add(MaxPooling.same(3, 2))
                .add(w.conv("conv2", 48, 3)).add(w.prelu("prelu2_alpha", 48, true))
                .add(MaxPooling.valid(3, 2))
                .add(w.conv("conv3", 64, 2)).add(w.prelu("prelu3_alpha", 64, true))
                .add(flattenHeightWidthChannel())
                .add(w.dense("fc1", 128)).add(w.prelu("prelu4_alpha", 128, false))
                // Both heads as one layer, the softmax in RNetTranslator (as P-Net's): two operators and a parallel
                // block less per pass.
                .add(w.stackedDense(new WeightBinder.Head("fc2_1", 2), new WeightBinder.Head("fc2_2", 4)));
    }

    private static Block onet(WeightBinder w) {
        return new SequentialBlock()
                .add(w.conv("conv1", 32, 3)).add(w.prelu("prelu1_alpha", 32, true))
                .add(MaxPooling.same(3, 2))
                .add(w.conv("conv2", 64, 3)).add(w.prelu("prelu2_alpha", 64, true))
                .add(MaxPooling.valid(3, 2))
                .add(w.conv("conv3", 64, 3)).add(w.prelu("prelu3_alpha", 64, true))
                .add(MaxPooling.same(2, 2))
                .add(w.conv("conv4", 128, 2)).add(w.prelu("prelu4_alpha", 128, true))
                .add(flattenHeightWidthChannel())
                .add(w.dense("fc1", 256)).add(w.prelu("prelu5_alpha", 256, false))
                // The three heads as one layer, the softmax in ONetTranslator.
                .add(w.stackedDense(new WeightBinder.Head("fc2_1", 2),
                        new WeightBinder.Head("fc2_2", 4), new WeightBinder.Head("fc2_3", 10)));
    }

    /** The fully connected layers were trained on a TF (NHWC) flatten of the transposed tensor. */
    private static Block flattenHeightWidthChannel() {
        return LambdaBlock.singleton(x -> x.transpose(0, 2, 3, 1).reshape(x.getShape().get(0), -1),
                "flattenHwc");
    }

    /** Creates the layers and, once DJL has allocated their parameters, fills them from the TF.js tensors. */
    private static final class WeightBinder {
        private record Binding(Parameter parameter, float[] values) {
        }

        private final TfjsWeights weights;
        private final String prefix;
        private final List<Binding> bindings = new ArrayList<>();
        /** Output channels of the last convolution, zero filters included. */
        private int paddedChannels;

        WeightBinder(TfjsWeights weights, String prefix) {
            this.weights = weights;
            this.prefix = prefix;
        }

        Block conv(String name, int filters, int kernel) {
            return conv(name, filters, kernel, filters);
        }

        /**
         * A convolution with {@code filters} trained filters and zero ones up to {@code outputs}; input channels
         * beyond the trained ones (the previous layer's padding) get zero weights.
         */
        Block conv(String name, int filters, int kernel, int outputs) {
            TfjsWeights.Tensor w = tensor(name + "/weights", kernel, kernel, -1, filters);
            int inputs = Math.max(w.shape()[2], paddedChannels);
            Conv2d conv = Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(outputs).build();
            bindings.add(new Binding(conv.getParameters().get("weight"), hwioToOihw(w, outputs, inputs)));
            bindings.add(new Binding(conv.getParameters().get("bias"),
                    Arrays.copyOf(tensor(name + "/bias", filters).values(), outputs)));
            paddedChannels = outputs;
            return conv;
        }

        /**
         * Two convolutions over the same input as one, their filters stacked: {@code firstFilters} outputs of
         * {@code first}, then {@code secondFilters} of {@code second}.
         */
        Block stackedConv(int kernel, String first, int firstFilters, String second, int secondFilters) {
            TfjsWeights.Tensor a = tensor(first + "/weights", kernel, kernel, -1, firstFilters);
            TfjsWeights.Tensor b = tensor(second + "/weights", kernel, kernel, a.shape()[2], secondFilters);
            int inputs = Math.max(a.shape()[2], paddedChannels);
            int outputs = firstFilters + secondFilters;
            float[] weights = hwioToOihw(a, outputs, inputs);
            float[] secondWeights = hwioToOihw(b, secondFilters, inputs);
            System.arraycopy(secondWeights, 0, weights, firstFilters * inputs * kernel * kernel, secondWeights.length);
            float[] bias = Arrays.copyOf(tensor(first + "/bias", firstFilters).values(), outputs);
            System.arraycopy(tensor(second + "/bias", secondFilters).values(), 0, bias, firstFilters, secondFilters);
            Conv2d conv = Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(outputs).build();
            bindings.add(new Binding(conv.getParameters().get("weight"), weights));
            bindings.add(new Binding(conv.getParameters().get("bias"), bias));
            paddedChannels = outputs;
            return conv;
        }

        Block dense(String name, int units) {
            paddedChannels = 0;
            Linear dense = Linear.builder().setUnits(units).build();
            TfjsWeights.Tensor w = tensor(name + "/weights", -1, units);
            bindings.add(new Binding(dense.getParameters().get("weight"), transpose2d(w)));
            bindings.add(new Binding(dense.getParameters().get("bias"), tensor(name + "/bias", units).values()));
            return dense;
        }

        /** One dense layer of a stack: its name in the weights and its number of units. */
        record Head(String name, int units) {
        }

        /** Dense layers over the same input as one, their units stacked in the order given. */
        Block stackedDense(Head... heads) {
            int total = Arrays.stream(heads).mapToInt(Head::units).sum();
            List<float[]> parts = new ArrayList<>();
            float[] bias = new float[total];
            int done = 0;
            for (Head head : heads) {
                parts.add(transpose2d(tensor(head.name() + "/weights", -1, head.units())));
                System.arraycopy(tensor(head.name() + "/bias", head.units()).values(), 0, bias, done, head.units());
                done += head.units();
            }
            // DJL's Linear holds [out, in]: the heads' rows one after the other.
            float[] weights = new float[parts.stream().mapToInt(p -> p.length).sum()];
            int at = 0;
            for (float[] p : parts) {
                System.arraycopy(p, 0, weights, at, p.length);
                at += p.length;
            }
            paddedChannels = 0;
            Linear dense = Linear.builder().setUnits(total).build();
            bindings.add(new Binding(dense.getParameters().get("weight"), weights));
            bindings.add(new Binding(dense.getParameters().get("bias"), bias));
            return dense;
        }

        Block prelu(String name, int channels, boolean featureMap) {
            int padded = featureMap ? Math.max(channels, paddedChannels) : channels;
            ChannelPrelu prelu = new ChannelPrelu(padded, featureMap);
            bindings.add(new Binding(prelu.alpha(), Arrays.copyOf(tensor(name, channels).values(), padded)));
            return prelu;
        }

        void copyWeights() {
            for (Binding b : bindings) {
                NDArray array = b.parameter().getArray();
                if (array.size() != b.values().length) {
                    throw new IllegalStateException(prefix + " parameter " + b.parameter().getName() + " has "
                            + array.size() + " values, the weights file " + b.values().length);
                }
                array.set(FloatBuffer.wrap(b.values()));
                // Inference only: no autograd bookkeeping on the weights.
                array.setRequiresGradient(false);
            }
        }

        /** The named tensor, checked against the expected shape (-1: any). */
        private TfjsWeights.Tensor tensor(String name, int... expected) {
            TfjsWeights.Tensor t = weights.get(prefix + "/" + name);
            boolean ok = t.shape().length == expected.length;
            for (int i = 0; ok && i < expected.length; i++) {
                ok = expected[i] < 0 || expected[i] == t.shape()[i];
            }
            if (!ok) {
                throw new IllegalStateException("MTCNN weights: " + t.name() + " has shape "
                        + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(expected));
            }
            return t;
        }

        /** TF conv filters are [h, w, in, out]; PyTorch wants [out, in, h, w] (zeros beyond the trained ones). */
        static float[] hwioToOihw(TfjsWeights.Tensor t, int outputs, int inputs) {
            int kh = t.shape()[0];
            int kw = t.shape()[1];
            int in = t.shape()[2];
            int out = t.shape()[3];
            float[] src = t.values();
            float[] dst = new float[outputs * inputs * kh * kw];
            for (int h = 0; h < kh; h++) {
                for (int w = 0; w < kw; w++) {
                    for (int i = 0; i < in; i++) {
                        for (int o = 0; o < out; o++) {
                            dst[((o * inputs + i) * kh + h) * kw + w] = src[((h * kw + w) * in + i) * out + o];
                        }
                    }
                }
            }
            return dst;
        }

        /** TF dense weights are [in, out]; DJL's Linear holds [out, in]. */
        static float[] transpose2d(TfjsWeights.Tensor t) {
            int rows = t.shape()[0];
            int cols = t.shape()[1];
            float[] src = t.values();
            float[] dst = new float[src.length];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    dst[c * rows + r] = src[r * cols + c];
                }
            }
            return dst;
        }
    }
}
