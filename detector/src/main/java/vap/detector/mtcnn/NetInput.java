package vap.detector.mtcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.nio.FloatBuffer;

/**
 * A batch of images in the layout every MTCNN network takes: {@code [batch, 3, width, height]} (transposed),
 * BGR, each sample {@code (v - 127.5) / 128}. Built on the Java side with plain arrays (see {@link PixelPacking}).
 */
record NetInput(float[] data, int batch, int width, int height) {

    NetInput {
        if (data.length != batch * 3 * width * height) {
            throw new IllegalArgumentException("expected " + batch * 3 * width * height + " values, got " + data.length);
        }
    }

    NDArray toNDArray(NDManager manager) {
        return manager.create(FloatBuffer.wrap(data), new Shape(batch, 3, width, height));
    }
}
