package vap.detector.mtcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.nio.FloatBuffer;

/**
 * A batch of images in the layout every MTCNN network takes: {@code [batch, 3, width, height]} (transposed),
 * each sample {@code (v - 127.5) / 128}, built on the Java side with plain arrays (see {@link PixelPacking}).
 * The values are stored channels last ({@code [batch, width, height, 3]}) and handed to PyTorch as a
 * channels-last view of that shape: oneDNN then convolves in that layout directly, where the plain layout
 * costs a reorder of every feature map into and out of its blocked format (as long as the convolution itself).
 */
record NetInput(float[] data, int batch, int width, int height) {

    NetInput {
        if (data.length != batch * 3 * width * height) {
            throw new IllegalArgumentException("expected " + batch * 3 * width * height + " values, got "
                    + data.length);
        }
    }

    NDArray toNDArray(NDManager manager) {
        try (NDArray channelsLast = manager.create(FloatBuffer.wrap(data), new Shape(batch, width, height, 3))) {
            return channelsLast.transpose(0, 3, 1, 2);
        }
    }
}
