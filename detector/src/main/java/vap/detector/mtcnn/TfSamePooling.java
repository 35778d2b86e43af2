package vap.detector.mtcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.pooling.Pool;

/**
 * Max pooling with TensorFlow's "same" padding, which the MTCNN weights were trained with: the output is
 * ceil(n / stride) long and the padding goes to the bottom/right first (asymmetric), acting as -infinity.
 *
 * <p>PyTorch's pooling pads symmetrically, but with ceil mode on, padding floor(total / 2) on each side gives
 * exactly TF's windows: ceil mode adds the odd extra row at the bottom/right, and PyTorch's implicit pooling
 * padding never wins the max. (An explicit {@code pad} with -inf before a "valid" pool is the obvious
 * alternative; on PyTorch 2.7.1 here it intermittently produced an all-NaN P-Net map on the first calls.)
 */
final class TfSamePooling {
    private TfSamePooling() {
    }

    static Block maxPool(int kernel, int stride) {
        return LambdaBlock.singleton(x -> maxPool(x, kernel, stride), "tfSameMaxPool" + kernel + "s" + stride);
    }

    static NDArray maxPool(NDArray x, int kernel, int stride) {
        Shape s = x.getShape();
        int padRows = padding((int) s.get(2), kernel, stride);
        int padCols = padding((int) s.get(3), kernel, stride);
        return Pool.maxPool2d(x, new Shape(kernel, kernel), new Shape(stride, stride),
                new Shape(padRows / 2, padCols / 2), true);
    }

    /** Total padding TF adds along an axis of length n for "same" pooling. */
    static int padding(int n, int kernel, int stride) {
        int out = (n + stride - 1) / stride;
        return Math.max((out - 1) * stride + kernel - n, 0);
    }
}
