import vap.vision.align.DlibInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads dlib_face_recognition_resnet_model_v1.dat (dlib's DNN serialization, dlib/dnn/core.h, layers.h,
 * cuda/tensor.h) into the float tensors of face-api.js's FaceRecognitionNet, under face-api.js's names and shapes.
 *
 * <p>dlib writes a net as nested layers, each layer's parameters announced by its version string ("con_4", "bn_con2",
 * "fc_2", ...); the nesting is written subnetwork first, so the parameterised layers come out in forward order
 * (input first). This reader finds the version strings of the parameterised layers in the byte stream (a string is
 * written as its length, here the integer bytes 0x01 len, then its characters) and parses each such layer strictly,
 * field by field; the layers without parameters (relu, pools, tags, add_prev) only get counted. The result is checked
 * against the architecture (29 convolutions each followed by one batch-norm/affine, then one fc), so a stray match in
 * float data could not pass unnoticed.
 */
final class DlibResnetModel {
    /** A tensor in face-api.js's layout: conv filters HWIO [kh, kw, in, out], fc [in, out], vectors [n]. */
    record Tensor(int[] shape, float[] values) {}

    /** One parsed dlib layer: its version string, where it starts, and its parameters in dlib's layout. */
    record Layer(String version, int offset, int[] nkrc, float[] a, float[] b) {}

    /** face-api.js's names of the 29 convolutions in forward order (FaceEmbeddingNet.forward). */
    static final List<String> CONVS = convNames();

    private static final List<String> PARAMETERISED = List.of("con_4", "con_5", "bn_con2", "affine_", "affine_2", "fc_2", "fc_3");
    private static final List<String> COUNTED_ONLY = List.of("input_rgb_image_sized", "relu_", "max_pool_2", "avg_pool_2",
            "add_prev_", "loss_metric_", "loss_metric_2");

    final List<Layer> layers = new ArrayList<>();
    final Map<String, Integer> counts = new TreeMap<>();
    final Map<String, Tensor> tensors = new LinkedHashMap<>();

    private DlibResnetModel() {
    }

    static DlibResnetModel read(Path file) throws IOException {
        DlibResnetModel m = new DlibResnetModel();
        DlibInput in = DlibInput.of(file);
        byte[] b = in.bytes();
        int pos = 0;
        while (pos < b.length - 2) {
            String v = versionAt(b, pos);
            if (v == null) {
                pos++;
                continue;
            }
            m.counts.merge(v, 1, Integer::sum);
            if (!PARAMETERISED.contains(v)) {
                pos += 2 + v.length();
                continue;
            }
            in.seek(pos);
            in.string();
            m.layers.add(switch (v) {
                case "con_4", "con_5" -> con(in, v, pos);
                case "bn_con2" -> batchNorm(in, pos);
                case "affine_", "affine_2" -> affine(in, v, pos);
                default -> fc(in, v, pos);
            });
            pos = in.position();
        }
        m.name();
        return m;
    }

    /** The version string written at {@code pos} (control byte 0x01, length, characters), or null. */
    private static String versionAt(byte[] b, int pos) {
        if (b[pos] != 0x01) {
            return null;
        }
        int len = b[pos + 1] & 0xFF;
        for (List<String> names : List.of(PARAMETERISED, COUNTED_ONLY)) {
            for (String s : names) {
                if (s.length() == len && pos + 2 + len <= b.length
                        && new String(b, pos + 2, len, java.nio.charset.StandardCharsets.ISO_8859_1).equals(s)) {
                    return s;
                }
            }
        }
        return null;
    }

    /** con_: params (filters then biases), num_filters, nr, nc, strides, paddings, the two aliases, 4 multipliers. */
    private static Layer con(DlibInput in, String v, int at) {
        float[] params = tensor(in);
        int filters = in.count();
        long nr = in.integer(), nc = in.integer(), sy = in.integer(), sx = in.integer();
        in.integer(); // padding y
        in.integer(); // padding x
        int[] f = alias(in);
        int[] bias = alias(in);
        for (int i = 0; i < 4; i++) {
            in.real(); // learning-rate and weight-decay multipliers
        }
        if (v.equals("con_5")) {
            in.bool(); // use_bias
        }
        int fsize = f[0] * f[1] * f[2] * f[3];
        if (f[0] != filters || f[2] != nr || f[3] != nc || sy != sx || params.length != fsize + bias[0] * bias[1]) {
            throw in.corrupt("con_ at " + at + ": inconsistent sizes");
        }
        float[] w = java.util.Arrays.copyOfRange(params, 0, fsize);
        float[] bb = java.util.Arrays.copyOfRange(params, fsize, params.length);
        return new Layer(v, at, new int[] {f[0], f[1], f[2], f[3], (int) sy}, w, bb);
    }

    /** bn_ (training form): gamma/beta and the running statistics; folded to the affine the inference net uses. */
    private static Layer batchNorm(DlibInput in, int at) {
        float[] params = tensor(in);
        int[] g = alias(in);
        alias(in); // beta
        tensor(in); // batch means (training only)
        tensor(in); // batch inverse stds (training only)
        float[] mean = tensor(in);
        float[] var = tensor(in);
        in.integer(); // num_updates
        in.integer(); // running_stats_window_size
        for (int i = 0; i < 4; i++) {
            in.real();
        }
        double eps = in.real();
        int k = g[0] * g[1] * g[2] * g[3];
        if (params.length != 2 * k || mean.length != k || var.length != k) {
            throw in.corrupt("bn_con2 at " + at + ": inconsistent sizes");
        }
        // affine_'s constructor from bn_: gamma / sqrt(running variance + eps), beta - that * running mean.
        float[] scale = new float[k], shift = new float[k];
        for (int i = 0; i < k; i++) {
            scale[i] = (float) (params[i] / Math.sqrt(var[i] + eps));
            shift[i] = (float) (params[k + i] - scale[i] * (double) mean[i]);
        }
        return new Layer("bn_con2", at, new int[] {k, (int) Math.round(-Math.log10(eps))}, scale, shift);
    }

    private static Layer affine(DlibInput in, String v, int at) {
        float[] params = tensor(in);
        int[] g = alias(in);
        alias(in);
        in.integer(); // mode
        if (v.equals("affine_2")) {
            in.bool(); // disabled
        }
        int k = g[0] * g[1] * g[2] * g[3];
        return new Layer(v, at, new int[] {k}, java.util.Arrays.copyOfRange(params, 0, k),
                java.util.Arrays.copyOfRange(params, k, 2 * k));
    }

    /** fc_: outputs, inputs, params (weights [inputs, outputs] then biases if any), aliases, bias mode, multipliers. */
    private static Layer fc(DlibInput in, String v, int at) {
        int outputs = in.count(), inputs = in.count();
        float[] params = tensor(in);
        int[] w = alias(in);
        alias(in); // biases
        in.integer(); // bias mode
        for (int i = 0; i < 4; i++) {
            in.real();
        }
        if (v.equals("fc_3")) {
            in.bool();
        }
        if (w[0] != inputs || w[1] != outputs || params.length < inputs * outputs) {
            throw in.corrupt("fc_ at " + at + ": inconsistent sizes");
        }
        return new Layer(v, at, new int[] {inputs, outputs, params.length - inputs * outputs},
                java.util.Arrays.copyOfRange(params, 0, inputs * outputs), new float[0]);
    }

    /** resizable_tensor: version 2, num_samples, k, nr, nc, then the raw floats. */
    private static float[] tensor(DlibInput in) {
        long version = in.integer();
        if (version != 2) {
            throw in.corrupt("tensor version " + version);
        }
        long n = in.integer() * in.integer() * in.integer() * in.integer();
        return in.rawFloats(Math.toIntExact(n));
    }

    /** alias_tensor: version 1, num_samples, k, nr, nc. */
    private static int[] alias(DlibInput in) {
        long version = in.integer();
        if (version != 1) {
            throw in.corrupt("alias_tensor version " + version);
        }
        return new int[] {in.count(), in.count(), in.count(), in.count()};
    }

    /** Pairs each convolution with the affine after it and names them as face-api.js does. */
    private void name() {
        List<Layer> convs = layers.stream().filter(l -> l.version.startsWith("con_")).toList();
        List<Layer> norms = layers.stream().filter(l -> l.version.startsWith("bn_") || l.version.startsWith("affine")).toList();
        List<Layer> fcs = layers.stream().filter(l -> l.version.startsWith("fc_")).toList();
        if (convs.size() != CONVS.size() || norms.size() != CONVS.size() || fcs.size() != 1) {
            throw new IllegalStateException("expected 29 con, 29 bn/affine, 1 fc; found " + counts);
        }
        for (int i = 0; i < convs.size(); i++) {
            Layer c = convs.get(i), n = norms.get(i);
            if (n.offset < c.offset || (i + 1 < convs.size() && n.offset > convs.get(i + 1).offset)) {
                throw new IllegalStateException("affine " + i + " not between its conv and the next");
            }
            int o = c.nkrc[0], ci = c.nkrc[1], kh = c.nkrc[2], kw = c.nkrc[3];
            float[] hwio = new float[c.a.length];
            for (int oo = 0; oo < o; oo++) {
                for (int ii = 0; ii < ci; ii++) {
                    for (int y = 0; y < kh; y++) {
                        for (int x = 0; x < kw; x++) {
                            hwio[((y * kw + x) * ci + ii) * o + oo] = c.a[((oo * ci + ii) * kh + y) * kw + x];
                        }
                    }
                }
            }
            String p = CONVS.get(i);
            tensors.put(p + "/conv/filters", new Tensor(new int[] {kh, kw, ci, o}, hwio));
            tensors.put(p + "/conv/bias", new Tensor(new int[] {o}, c.b));
            tensors.put(p + "/scale/weights", new Tensor(new int[] {n.a.length}, n.a));
            tensors.put(p + "/scale/biases", new Tensor(new int[] {n.b.length}, n.b));
        }
        Layer f = fcs.get(0);
        tensors.put("fc", new Tensor(new int[] {f.nkrc[0], f.nkrc[1]}, f.a));
    }

    private static List<String> convNames() {
        List<String> out = new ArrayList<>(List.of("conv32_down"));
        String[][] blocks = {{"conv32_1", "conv32_2", "conv32_3"}, {"conv64_down", "conv64_1", "conv64_2", "conv64_3"},
                {"conv128_down", "conv128_1", "conv128_2"}, {"conv256_down", "conv256_1", "conv256_2", "conv256_down_out"}};
        for (String[] level : blocks) {
            for (String b : level) {
                out.add(b + "/conv1");
                out.add(b + "/conv2");
            }
        }
        return List.copyOf(out);
    }
}
