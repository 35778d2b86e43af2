package vap.detector.mtcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A stride-1, unpadded convolution as one matrix product: the k x k shifted views of the input stacked into
 * columns ({@code [N, C * k * k, H' * W']}) times the filters ({@code [F, C * k * k]}). PyTorch computes batched
 * and large convolutions with oneDNN, which these hosts cap at SSE4.1 (detector/README.md, "CPU numerics"), but a
 * matrix product with the MKL linked into libtorch, which uses the CPU's full vector width: the cascade ran
 * 1.3x faster this way at the same outputs within float noise. Parameters are laid out as DJL's Conv2d's
 * ({@code weight [F, C, k, k]}, {@code bias [F]}), so the same weights bind to either.
 */
final class GemmConvolution extends AbstractBlock {
    /**
     * Below this many input values PyTorch's own call is faster (measured: 0.06 vs 0.26 ms for P-Net's first
     * convolution on a 48 x 36 level; 1.7 vs 1.6 ms on 192 x 144); 1 x 1 filters gain nothing either.
     */
    private static final long MIN_VALUES = 20_480;
    private static final Shape UNIT = new Shape(1, 1);
    private static final Shape NO_PADDING = new Shape(0, 0);

    private final int filters;
    private final int kernel;
    private final Parameter weight;
    private final Parameter bias;

    GemmConvolution(int filters, int kernel) {
        this.filters = filters;
        this.kernel = kernel;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build());
    }

    Parameter weight() {
        return weight;
    }

    Parameter bias() {
        return bias;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(filters, inputShapes[0].get(1), kernel, kernel));
        bias.setShape(new Shape(filters));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        long n = s.get(0);
        long channels = s.get(1);
        long outRows = s.get(2) - kernel + 1;
        long outCols = s.get(3) - kernel + 1;
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray b = store.getValue(bias, x.getDevice(), training);
        if (kernel == 1 || x.size() < MIN_VALUES) {
            return Conv2d.conv2d(x, w, b, UNIT, NO_PADDING, UNIT, 1);
        }
        // Channels first, then samples: the columns of every sample side by side make one matrix product, and the
        // result, [F, N, H', W'], is handed on as a transposed view (the next convolution transposes it back for free).
        NDArray channelsFirst = x.transpose(1, 0, 2, 3);
        NDArray columns;
        if (kernel == 1) {
            columns = channelsFirst.reshape(channels, n * outRows * outCols);
        } else {
            // Row index c * k * k + i * k + j, the order of the filters' [C, k, k] flattening.
            NDList taps = new NDList(kernel * kernel);
            for (int i = 0; i < kernel; i++) {
                for (int j = 0; j < kernel; j++) {
                    taps.add(channelsFirst.get(new NDIndex(":, :, {}:{}, {}:{}", i, i + outRows, j, j + outCols)));
                }
            }
            try (NDArray stacked = NDArrays.stack(taps, 1)) {
                columns = stacked.reshape(channels * kernel * kernel, n * outRows * outCols);
            }
            taps.close();
        }
        channelsFirst.close();
        NDArray y;
        // Results of an operation on a parameter belong to the model's manager: hand them to the pass's manager,
        // and close the reshaped parameters, or every call would leave them behind until the model closes.
        try (NDArray matrix = w.reshape(filters, -1); NDArray column = b.reshape(filters, 1)) {
            y = matrix.matMul(columns);
            y.attach(x.getManager());
            y.addi(column);
        }
        columns.close();
        try (NDArray grouped = y.reshape(filters, n, outRows, outCols)) {
            y.close();
            return new NDList(grouped.transpose(1, 0, 2, 3));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[]{new Shape(s.get(0), filters, s.get(2) - kernel + 1, s.get(3) - kernel + 1)};
    }
}
