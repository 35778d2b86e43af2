package vap.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Proves on the running CPU that PyTorch's convolutions are right: a handful of convolutions at the shapes of
 * this project's networks, computed by the engine and by plain Java, compared. Batched and above 20,480 input
 * values on purpose: those are the ones PyTorch hands to oneDNN, whose vector kernels have miscomputed on some
 * of this project's hosts (detector/README.md, "CPU numerics"). Takes well under a second.
 * {@code java vap.models.ConvolutionCheck} exits 0 when correct, 3 when not (./vap uses it to pick the ISA).
 */
public final class ConvolutionCheck {
    /** Relative to the largest output magnitude: float sums of up to 1,600 products differ by far less. */
    static final float TOLERANCE = 1e-4f;

    /** One convolution: batch, channels in/out, square input side, kernel, stride, padding. */
    record Case(String network, int batch, int in, int out, int side, int kernel, int stride, int pad) {
        @Override
        public String toString() {
            return String.format("%s %dx%dx%dx%d -> %d, %dx%d stride %d pad %d", network, batch, in, side, side, out,
                    kernel, kernel, stride, pad);
        }
    }

    static final List<Case> CASES = List.of(
            new Case("P-Net conv1", 2, 3, 10, 61, 3, 1, 0),
            new Case("P-Net conv4 (1x1)", 2, 32, 4, 26, 1, 1, 0),
            new Case("R-Net conv2", 16, 28, 48, 11, 3, 1, 0),
            new Case("O-Net conv1", 4, 3, 32, 48, 3, 1, 0),
            new Case("ResNet conv32_down", 2, 3, 32, 40, 7, 2, 0),
            new Case("ResNet conv64 block", 2, 64, 64, 18, 3, 1, 1),
            new Case("SSR-Net conv", 4, 16, 16, 30, 3, 1, 1));

    private ConvolutionCheck() {
    }

    /** The cases the engine got wrong on {@code device}, each with its worst relative error; empty when all agree. */
    public static List<String> failures(Device device) {
        List<String> failures = new ArrayList<>();
        Random random = new Random(20261129);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            for (Case c : CASES) {
                float[] x = values(c.batch * c.in * c.side * c.side, random);
                float[] w = values(c.out * c.in * c.kernel * c.kernel, random);
                float[] b = values(c.out, random);
                float[] engine = engine(manager, c, x, w, b);
                float[] plain = plain(c, x, w, b);
                float error = worstRelativeError(plain, engine);
                if (!(error <= TOLERANCE)) {
                    failures.add(c + ": relative error " + error);
                }
            }
        }
        return failures;
    }

    static float worstRelativeError(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            return Float.POSITIVE_INFINITY;
        }
        float scale = 1e-6f;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        float worst = 0;
        for (int i = 0; i < expected.length; i++) {
            float d = Math.abs(expected[i] - actual[i]);
            worst = Float.isNaN(d) ? Float.NaN : Math.max(worst, d);
        }
        return worst / scale;
    }

    private static float[] engine(NDManager manager, Case c, float[] x, float[] w, float[] b) {
        try (NDManager pass = manager.newSubManager()) {
            NDArray input = pass.create(x, new Shape(c.batch, c.in, c.side, c.side));
            NDArray weight = pass.create(w, new Shape(c.out, c.in, c.kernel, c.kernel));
            NDArray bias = pass.create(b, new Shape(c.out));
            return Conv2d.conv2d(input, weight, bias, new Shape(c.stride, c.stride), new Shape(c.pad, c.pad),
                    new Shape(1, 1), 1).singletonOrThrow().toFloatArray();
        }
    }

    /** Direct NCHW convolution with OIHW weights, zero padding. */
    static float[] plain(Case c, float[] x, float[] w, float[] b) {
        int o = (c.side + 2 * c.pad - c.kernel) / c.stride + 1;
        float[] y = new float[c.batch * c.out * o * o];
        for (int n = 0; n < c.batch; n++) {
            for (int oc = 0; oc < c.out; oc++) {
                for (int i = 0; i < o; i++) {
                    for (int j = 0; j < o; j++) {
                        double sum = b[oc];
                        for (int ic = 0; ic < c.in; ic++) {
                            for (int ki = 0; ki < c.kernel; ki++) {
                                int r = i * c.stride + ki - c.pad;
                                if (r < 0 || r >= c.side) {
                                    continue;
                                }
                                for (int kj = 0; kj < c.kernel; kj++) {
                                    int s = j * c.stride + kj - c.pad;
                                    if (s >= 0 && s < c.side) {
                                        sum += x[((n * c.in + ic) * c.side + r) * c.side + s]
                                                * w[((oc * c.in + ic) * c.kernel + ki) * c.kernel + kj];
                                    }
                                }
                            }
                        }
                        y[((n * c.out + oc) * o + i) * o + j] = (float) sum;
                    }
                }
            }
        }
        return y;
    }

    private static float[] values(int n, Random random) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return v;
    }

    public static void main(String[] args) {
        String isa = System.getenv("DNNL_MAX_CPU_ISA");
        List<String> failures = failures(Device.cpu());
        if (failures.isEmpty()) {
            System.out.println("convolutions correct at DNNL_MAX_CPU_ISA=" + (isa == null ? "(not set)" : isa));
            System.exit(0);
        }
        System.out.println("convolutions WRONG at DNNL_MAX_CPU_ISA=" + (isa == null ? "(not set)" : isa));
        failures.forEach(f -> System.out.println("  " + f));
        System.exit(3);
    }
}
