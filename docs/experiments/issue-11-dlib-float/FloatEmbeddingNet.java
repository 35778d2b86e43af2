import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import vap.recognizer.embed.FaceEmbeddingNet;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * The production FaceEmbeddingNet with other weights: built as usual (quantised weights, scales folded), then every
 * folded parameter is replaced by the same fold of the given float tensors (face-api.js names and shapes). The
 * forward pass is the production code itself, channels-last and all; only the numbers differ. Reflection because
 * FaceEmbeddingNet is final and reads its weights in its constructor (an experiment; a product change would give it
 * a constructor taking the tensors).
 */
final class FloatEmbeddingNet {
    private FloatEmbeddingNet() {
    }

    @SuppressWarnings("unchecked")
    static FaceEmbeddingNet of(Device device, Map<String, DlibResnetModel.Tensor> tensors) throws ReflectiveOperationException {
        FaceEmbeddingNet net = new FaceEmbeddingNet(device);
        Field pf = FaceEmbeddingNet.class.getDeclaredField("params");
        Field mf = FaceEmbeddingNet.class.getDeclaredField("manager");
        pf.setAccessible(true);
        mf.setAccessible(true);
        Map<String, NDArray> params = (Map<String, NDArray>) pf.get(net);
        NDManager manager = (NDManager) mf.get(net);
        Method channelsLast = FaceEmbeddingNet.class.getDeclaredMethod("channelsLast", NDArray.class);
        channelsLast.setAccessible(true);
        int replaced = 0;
        for (String prefix : DlibResnetModel.CONVS) {
            NDArray filters = array(manager, tensors.get(prefix + "/conv/filters")).transpose(3, 2, 0, 1); // HWIO -> OIHW
            NDArray bias = array(manager, tensors.get(prefix + "/conv/bias"));
            NDArray scale = array(manager, tensors.get(prefix + "/scale/weights"));
            NDArray shift = array(manager, tensors.get(prefix + "/scale/biases"));
            // the same fold as FaceEmbeddingNet.foldScales: conv(x, W * s, b * s + t)
            NDArray folded = (NDArray) channelsLast.invoke(null, filters.mul(scale.reshape(-1, 1, 1, 1)));
            replace(params, prefix + "/conv/filters", folded);
            replace(params, prefix + "/conv/bias", bias.mul(scale).add(shift));
            replaced += 2;
        }
        replace(params, "fc", array(manager, tensors.get("fc")));
        if (replaced + 1 != params.size()) {
            throw new IllegalStateException("replaced " + (replaced + 1) + " of " + params.size() + " parameters");
        }
        return net;
    }

    private static void replace(Map<String, NDArray> params, String name, NDArray value) {
        NDArray old = params.get(name);
        if (old == null || !old.getShape().equals(value.getShape())) {
            throw new IllegalStateException(name + ": " + (old == null ? "absent" : old.getShape()) + " vs " + value.getShape());
        }
        params.put(name, value);
        old.close();
    }

    private static NDArray array(NDManager manager, DlibResnetModel.Tensor t) {
        long[] shape = new long[t.shape().length];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.shape()[i];
        }
        return manager.create(t.values(), new Shape(shape));
    }
}
