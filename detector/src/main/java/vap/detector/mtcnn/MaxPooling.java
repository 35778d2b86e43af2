package vap.detector.mtcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.pooling.Pool;

/**
 * Max pooling as the MTCNN weights were trained with it. PyTorch 2.7.1's max_pool2d is fast on small tensors but
 * slow above about 20,000 values (5.6 ms for R-Net's first pool over 43 crops, whose convolution takes 0.8 ms;
 * 2 ms on P-Net's largest level at 640x480 and min face 40), so larger tensors are pooled as two one-dimensional
 * passes of strided slices and elementwise maxima (1.1 and 0.4 ms there), unless their channel count fills the
 * vectors of PyTorch's channels-last pooling ({@link #FULL_VECTOR}). All give the same values: a maximum is
 * exact.
 *
 * <p>PyTorch's own pooling gets TF's windows with ceil mode plus floor(total / 2) padding on each side: ceil
 * mode adds the odd extra row at the bottom/right, and its implicit padding never wins the max.
 *
 * <p>TensorFlow's "same" mode: the output is ceil(n / stride) long and the padding (acting as -infinity) goes
 * to the bottom/right first. Repeating the edge value instead never changes a maximum, so the padding here
 * copies the edge row or column; "valid" mode has no padding and floor((n - kernel) / stride) + 1 outputs.
 */
final class MaxPooling {
    /** Up to this many values PyTorch's max_pool2d is the faster one (measured: 16,450 values 0.05 ms vs 0.11). */
    private static final long NATIVE_LIMIT = 20_480;
    /**
     * The networks run channels last ({@link NetInput}), where PyTorch's pooling runs along the channels 16
     * floats at a time: with a multiple of 16 channels it is the faster one at any size (O-Net's first pool over
     * 18 crops 0.73 ms vs 0.96 for the slices; 28 channels: 2.3 ms vs 1.5).
     */
    private static final long FULL_VECTOR = 16;

    private MaxPooling() {
    }

    /** TensorFlow "same" pooling. */
    static Block same(int kernel, int stride) {
        return LambdaBlock.singleton(x -> pool(x, kernel, stride, true), "maxPoolSame" + kernel + "s" + stride);
    }

    /** Pooling without padding. */
    static Block valid(int kernel, int stride) {
        return LambdaBlock.singleton(x -> pool(x, kernel, stride, false), "maxPoolValid" + kernel + "s" + stride);
    }

    /** Pools an {@code [N, C, A, B]} tensor over its last two axes. */
    static NDArray pool(NDArray x, int kernel, int stride, boolean same) {
        if (x.size() <= NATIVE_LIMIT || x.getShape().get(1) % FULL_VECTOR == 0) {
            Shape s = x.getShape();
            int padRows = same ? samePadding((int) s.get(2), kernel, stride) : 0;
            int padCols = same ? samePadding((int) s.get(3), kernel, stride) : 0;
            return Pool.maxPool2d(x, new Shape(kernel, kernel), new Shape(stride, stride),
                    new Shape(padRows / 2, padCols / 2), same);
        }
        try (NDArray alongRows = pool1d(x, 2, kernel, stride, same)) {
            return pool1d(alongRows, 3, kernel, stride, same);
        }
    }

    /** Total padding TF adds along an axis of length n for "same" pooling. */
    static int samePadding(int n, int kernel, int stride) {
        int out = (n + stride - 1) / stride;
        return Math.max((out - 1) * stride + kernel - n, 0);
    }

    private static NDArray pool1d(NDArray x, int axis, int kernel, int stride, boolean same) {
        int n = (int) x.getShape().get(axis);
        int out = same ? (n + stride - 1) / stride : (n - kernel) / stride + 1;
        if (out < 1) {
            throw new IllegalArgumentException("cannot pool " + n + " values with a window of " + kernel);
        }
        int before = same ? samePadding(n, kernel, stride) / 2 : 0;
        int after = same ? samePadding(n, kernel, stride) - before : 0;
        NDArray padded = before + after == 0 ? x : padWithEdges(x, axis, n, before, after);
        try {
            NDArray result = null;
            for (int i = 0; i < kernel; i++) {
                NDArray slice = padded.get(slice(axis, i, i + stride * (out - 1) + 1, stride));
                if (result == null) {
                    result = slice;
                } else {
                    NDArray max = result.maximum(slice);
                    result.close();
                    slice.close();
                    result = max;
                }
            }
            return result;
        } finally {
            if (padded != x) {
                padded.close();
            }
        }
    }

    private static NDArray padWithEdges(NDArray x, int axis, int n, int before, int after) {
        NDList parts = new NDList();
        for (int i = 0; i < before; i++) {
            parts.add(x.get(slice(axis, 0, 1, 1)));
        }
        parts.add(x);
        for (int i = 0; i < after; i++) {
            parts.add(x.get(slice(axis, n - 1, n, 1)));
        }
        NDArray padded = NDArrays.concat(parts, axis);
        for (NDArray part : parts) {
            if (part != x) {
                part.close();
            }
        }
        return padded;
    }

    private static NDIndex slice(int axis, int from, int to, int step) {
        return new NDIndex(":, ".repeat(axis) + from + ":" + to + ":" + step);
    }
}
