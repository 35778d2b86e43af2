package vap.recognizer.age;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import vap.models.ModelFile;
import vap.models.ModelUnavailableException;
import vap.models.TfjsWeights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SSR-Net age estimator (two streams, three stages, stage_num [3,3,3]) rebuilt on DJL from the node list
 * of its TF.js graph model (age.json + age.bin): every node is one DJL operation, run in the graph's
 * dependency order, so the network is exactly the exported one, soft stagewise regression included.
 * Input [N,64,64,3] pixel values 0..255 (NHWC, as exported); output [N] ages in years.
 *
 * Four-dimensional tensors are kept NCHW inside (PyTorch's convolution layout) and turned back to NHWC only
 * where the graph's semantics depend on it (flatten before the dense layers, slicing, broadcasting).
 */
public final class SsrNetGraph implements AutoCloseable {
    public static final int INPUT_SIZE = 64;

    private record Node(String name, String op, List<String> inputs, JsonNode attr) {
    }

    /** A tensor and whether its four dimensions are held as NCHW rather than the graph's NHWC. */
    private record Value(NDArray array, boolean nchw) {
        NDArray nhwc() {
            return nchw ? array.transpose(0, 2, 3, 1) : array;
        }
    }

    private final NDManager manager;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, NDArray> constants = new HashMap<>();
    private final Map<String, float[]> constantValues = new HashMap<>();
    private final List<Node> order = new ArrayList<>();
    private final String inputName;
    private final String outputName;

    public SsrNetGraph(Device device) {
        this.manager = NDManager.newBaseManager(device);
        JsonNode graph;
        try {
            graph = new ObjectMapper().readTree(ModelFile.SSRNET_AGE_GRAPH.read());
        } catch (IOException e) {
            throw new UncheckedIOException("parsing " + ModelFile.SSRNET_AGE_GRAPH.pathInPackage(), e);
        }
        TfjsWeights weights = TfjsWeights.fromGraphModel(ModelFile.SSRNET_AGE_GRAPH, List.of(ModelFile.SSRNET_AGE_WEIGHTS));
        String input = null;
        for (JsonNode n : graph.get("modelTopology").get("node")) {
            List<String> inputs = new ArrayList<>();
            n.path("input").forEach(i -> inputs.add(i.asText().replaceFirst(":0$", "")));
            Node node = new Node(n.get("name").asText(), n.get("op").asText(), inputs, n.path("attr"));
            nodes.put(node.name, node);
            if (node.op.equals("Placeholder")) {
                input = node.name;
            } else if (node.op.equals("Const")) {
                TfjsWeights.Tensor t = weights.get(node.name);
                long[] shape = new long[t.shape().length];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = t.shape()[i];
                }
                NDArray a = manager.create(t.values(), new Shape(shape));
                if (shape.length == 4) {
                    a = a.transpose(3, 2, 0, 1); // conv filters HWIO -> OIHW
                }
                constants.put(node.name, a);
                constantValues.put(node.name, t.values());
            }
        }
        if (input == null || !nodes.containsKey("Identity")) {
            throw new ModelUnavailableException("age.json has no Placeholder input or Identity output node");
        }
        this.inputName = input;
        this.outputName = "Identity";
        schedule(outputName, new HashMap<>());
        for (Node n : order) {
            checkSupported(n);
        }
    }

    /** Depth-first post-order from the output: each node after everything it reads. */
    private void schedule(String name, Map<String, Boolean> seen) {
        if (seen.containsKey(name)) {
            return;
        }
        seen.put(name, true);
        Node n = nodes.get(name);
        if (n == null) {
            throw new ModelUnavailableException("age.json: node " + name + " is referenced but not defined");
        }
        for (String in : n.inputs) {
            schedule(in, seen);
        }
        if (!n.op.equals("Const") && !n.op.equals("Placeholder")) {
            order.add(n);
        }
    }

    private static void checkSupported(Node n) {
        switch (n.op) {
            case "_FusedConv2D", "_FusedMatMul", "MaxPool", "AvgPool", "Tanh", "Relu", "Mul", "AddV2", "RealDiv",
                    "StridedSlice", "ExpandDims", "Reshape", "Identity" -> {
            }
            default -> throw new ModelUnavailableException("age.json node " + n.name + " uses op " + n.op
                    + ", which this SSR-Net port does not implement");
        }
        if (n.op.equals("StridedSlice") && (attrInt(n, "new_axis_mask") != 0 || attrInt(n, "ellipsis_mask") != 0)) {
            throw new ModelUnavailableException("age.json node " + n.name + ": StridedSlice with new-axis or ellipsis masks");
        }
        if (n.op.startsWith("_Fused")) {
            for (String f : fusedOps(n)) {
                if (!f.equals("BiasAdd") && !f.equals("Relu")) {
                    throw new ModelUnavailableException("age.json node " + n.name + ": fused op " + f + " not implemented");
                }
            }
        }
    }

    public NDManager newPassManager() {
        return manager.newSubManager();
    }

    /** {@code input}: [N,64,64,3] float pixel values in the net's channel order; returns [N] ages. */
    public NDArray forward(NDArray input) {
        Map<String, Value> values = new HashMap<>();
        values.put(inputName, new Value(input.transpose(0, 3, 1, 2), true));
        for (Node n : order) {
            values.put(n.name, evaluate(n, values));
        }
        return values.get(outputName).array.reshape(-1);
    }

    private Value in(Node n, int i, Map<String, Value> values) {
        String name = n.inputs.get(i);
        NDArray c = constants.get(name);
        return c != null ? new Value(c, false) : values.get(name);
    }

    private Value evaluate(Node n, Map<String, Value> v) {
        switch (n.op) {
            case "_FusedConv2D": {
                NDArray x = in(n, 0, v).array;
                NDArray w = in(n, 1, v).array;
                long[] s = attrInts(n, "strides");
                long pad = padding(n).equals("SAME") ? w.getShape().get(2) / 2 : 0;
                NDArray out = Conv2d.conv2d(x, w, in(n, 2, v).array, new Shape(s[1], s[2]), new Shape(pad, pad),
                        new Shape(1, 1), 1).singletonOrThrow();
                return new Value(fusedTail(n, out), true);
            }
            case "_FusedMatMul": {
                NDArray out = in(n, 0, v).array.matMul(in(n, 1, v).array).add(in(n, 2, v).array);
                return new Value(fusedTail(n, out), false);
            }
            case "MaxPool":
            case "AvgPool": {
                if (!padding(n).equals("VALID")) {
                    throw new ModelUnavailableException("age.json node " + n.name + ": only VALID pooling is implemented");
                }
                long[] k = attrInts(n, "ksize");
                long[] s = attrInts(n, "strides");
                NDArray x = in(n, 0, v).array;
                NDArray out = n.op.equals("MaxPool")
                        ? Pool.maxPool2d(x, new Shape(k[1], k[2]), new Shape(s[1], s[2]), new Shape(0, 0), false)
                        : Pool.avgPool2d(x, new Shape(k[1], k[2]), new Shape(s[1], s[2]), new Shape(0, 0), false, true);
                return new Value(out, true);
            }
            case "Tanh":
                return keepLayout(in(n, 0, v), in(n, 0, v).array.tanh());
            case "Relu":
                return keepLayout(in(n, 0, v), in(n, 0, v).array.clip(0f, Float.MAX_VALUE));
            case "Identity":
                return in(n, 0, v);
            case "Mul":
            case "AddV2":
            case "RealDiv": {
                Value a = in(n, 0, v);
                Value b = in(n, 1, v);
                // Stay NCHW only when the other operand is NCHW too or a scalar; otherwise broadcast as the graph does.
                boolean nchw = (a.nchw && (b.nchw || isScalar(b.array))) || (b.nchw && isScalar(a.array));
                NDArray x = nchw ? a.array : a.nhwc();
                NDArray y = nchw ? b.array : b.nhwc();
                NDArray out = switch (n.op) {
                    case "Mul" -> x.mul(y);
                    case "AddV2" -> x.add(y);
                    default -> x.div(y);
                };
                return new Value(out, nchw);
            }
            case "Reshape": {
                float[] shape = constantValues.get(n.inputs.get(1));
                long[] dims = new long[shape.length];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = (long) shape[i];
                }
                return new Value(in(n, 0, v).nhwc().reshape(new Shape(dims)), false);
            }
            case "ExpandDims": {
                int axis = (int) constantValues.get(n.inputs.get(1))[0];
                return new Value(in(n, 0, v).nhwc().expandDims(axis), false);
            }
            case "StridedSlice":
                return new Value(stridedSlice(n, in(n, 0, v).nhwc()), false);
            default:
                throw new ModelUnavailableException("unsupported op " + n.op);
        }
    }

    private NDArray stridedSlice(Node n, NDArray x) {
        float[] begin = constantValues.get(n.inputs.get(1));
        float[] end = constantValues.get(n.inputs.get(2));
        float[] strides = constantValues.get(n.inputs.get(3));
        int beginMask = attrInt(n, "begin_mask");
        int endMask = attrInt(n, "end_mask");
        int shrinkMask = attrInt(n, "shrink_axis_mask");
        StringBuilder index = new StringBuilder();
        for (int i = 0; i < begin.length; i++) {
            if (i > 0) {
                index.append(',');
            }
            if ((shrinkMask & (1 << i)) != 0) {
                index.append((int) begin[i]);
            } else {
                String b = (beginMask & (1 << i)) != 0 ? "" : Integer.toString((int) begin[i]);
                String e = (endMask & (1 << i)) != 0 ? "" : Integer.toString((int) end[i]);
                index.append(b).append(':').append(e).append(':').append((int) strides[i]);
            }
        }
        return x.get(new NDIndex(index.toString()));
    }

    private static boolean isScalar(NDArray a) {
        return a.getShape().dimension() == 0;
    }

    private static Value keepLayout(Value from, NDArray out) {
        return new Value(out, from.nchw);
    }

    private static NDArray fusedTail(Node n, NDArray withBias) {
        List<String> ops = fusedOps(n);
        return ops.contains("Relu") ? withBias.clip(0f, Float.MAX_VALUE) : withBias;
    }

    private static List<String> fusedOps(Node n) {
        List<String> out = new ArrayList<>();
        n.attr.path("fused_ops").path("list").path("s").forEach(s -> out.add(decode(s.asText())));
        return out;
    }

    private static String padding(Node n) {
        return decode(n.attr.path("padding").path("s").asText());
    }

    private static int attrInt(Node n, String key) {
        return n.attr.path(key).path("i").asInt(0);
    }

    private static long[] attrInts(Node n, String key) {
        JsonNode list = n.attr.path(key).path("list").path("i");
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i).asLong();
        }
        return out;
    }

    /** TF.js stores string attributes base64-encoded. */
    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        manager.close();
    }
}
