package vap.detector.mtcnn;

import vap.models.TfjsWeights;

/**
 * MTCNN's three networks in plain Java, straight from the TF.js tensors (HWIO filters, [in, out] dense
 * weights, TF "same" pooling written out): an independent second opinion on every number the PyTorch engine
 * produces. Slow and simple on purpose. Tensors are single samples in the networks' layout, [C][A][B] where
 * A runs along the image's x (the networks see the image transposed).
 */
final class ReferenceNetworks {
    private final TfjsWeights w;

    ReferenceNetworks(TfjsWeights weights) {
        this.w = weights;
    }

    /** A feature map: channels x a x b. */
    record Map3(int c, int a, int b, float[] v) {
        float at(int ch, int i, int j) {
            return v[(ch * a + i) * b + j];
        }
    }

    /** P-Net: {probability map [a][b], regression [4][a][b]}. */
    float[][] pnet(Map3 x) {
        Map3 t = prelu(conv(x, "pnet/conv1"), "pnet/prelu1_alpha");
        t = maxPoolSame(t, 2, 2);
        t = prelu(conv(t, "pnet/conv2"), "pnet/prelu2_alpha");
        t = prelu(conv(t, "pnet/conv3"), "pnet/prelu3_alpha");
        Map3 logits = conv(t, "pnet/conv4_1");
        Map3 reg = conv(t, "pnet/conv4_2");
        float[] prob = new float[logits.a() * logits.b()];
        for (int i = 0; i < prob.length; i++) {
            prob[i] = softmax1(logits.v()[i], logits.v()[prob.length + i]);
        }
        return new float[][]{prob, reg.v()};
    }

    /** R-Net on a 24 x 24 crop: {face probability, 4 regression values}. */
    float[] rnet(Map3 x) {
        Map3 t = prelu(conv(x, "rnet/conv1"), "rnet/prelu1_alpha");
        t = maxPoolSame(t, 3, 2);
        t = prelu(conv(t, "rnet/conv2"), "rnet/prelu2_alpha");
        t = maxPoolValid(t, 3, 2);
        t = prelu(conv(t, "rnet/conv3"), "rnet/prelu3_alpha");
        float[] h = prelu(dense(flattenHwc(t), "rnet/fc1"), "rnet/prelu4_alpha");
        float[] logits = dense(h, "rnet/fc2_1");
        float[] reg = dense(h, "rnet/fc2_2");
        return new float[]{softmax1(logits[0], logits[1]), reg[0], reg[1], reg[2], reg[3]};
    }

    /** O-Net on a 48 x 48 crop: {face probability, 4 regression values, 10 landmark values}. */
    float[] onet(Map3 x) {
        Map3 t = prelu(conv(x, "onet/conv1"), "onet/prelu1_alpha");
        t = maxPoolSame(t, 3, 2);
        t = prelu(conv(t, "onet/conv2"), "onet/prelu2_alpha");
        t = maxPoolValid(t, 3, 2);
        t = prelu(conv(t, "onet/conv3"), "onet/prelu3_alpha");
        t = maxPoolSame(t, 2, 2);
        t = prelu(conv(t, "onet/conv4"), "onet/prelu4_alpha");
        float[] h = prelu(dense(flattenHwc(t), "onet/fc1"), "onet/prelu5_alpha");
        float[] logits = dense(h, "onet/fc2_1");
        float[] reg = dense(h, "onet/fc2_2");
        float[] points = dense(h, "onet/fc2_3");
        float[] out = new float[15];
        out[0] = softmax1(logits[0], logits[1]);
        System.arraycopy(reg, 0, out, 1, 4);
        System.arraycopy(points, 0, out, 5, 10);
        return out;
    }

    private Map3 conv(Map3 x, String name) {
        TfjsWeights.Tensor k = w.get(name + "/weights");
        float[] bias = w.get(name + "/bias").values();
        int kh = k.shape()[0];
        int kw = k.shape()[1];
        int in = k.shape()[2];
        int out = k.shape()[3];
        int oa = x.a() - kh + 1;
        int ob = x.b() - kw + 1;
        float[] v = new float[out * oa * ob];
        float[] f = k.values();
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < oa; i++) {
                for (int j = 0; j < ob; j++) {
                    double s = bias[o];
                    for (int di = 0; di < kh; di++) {
                        for (int dj = 0; dj < kw; dj++) {
                            for (int c = 0; c < in; c++) {
                                s += x.at(c, i + di, j + dj) * f[((di * kw + dj) * in + c) * out + o];
                            }
                        }
                    }
                    v[(o * oa + i) * ob + j] = (float) s;
                }
            }
        }
        return new Map3(out, oa, ob, v);
    }

    private Map3 prelu(Map3 x, String name) {
        float[] alpha = w.get(name).values();
        float[] v = x.v().clone();
        int plane = x.a() * x.b();
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0) {
                v[i] *= alpha[i / plane];
            }
        }
        return new Map3(x.c(), x.a(), x.b(), v);
    }

    private float[] prelu(float[] x, String name) {
        float[] alpha = w.get(name).values();
        float[] v = x.clone();
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0) {
                v[i] *= alpha[i];
            }
        }
        return v;
    }

    /** TF "same": output ceil(n / s), padding (as -infinity) split with the smaller half before. */
    static Map3 maxPoolSame(Map3 x, int k, int s) {
        int oa = (x.a() + s - 1) / s;
        int ob = (x.b() + s - 1) / s;
        int padA = Math.max((oa - 1) * s + k - x.a(), 0) / 2;
        int padB = Math.max((ob - 1) * s + k - x.b(), 0) / 2;
        return pool(x, k, s, oa, ob, padA, padB);
    }

    static Map3 maxPoolValid(Map3 x, int k, int s) {
        return pool(x, k, s, (x.a() - k) / s + 1, (x.b() - k) / s + 1, 0, 0);
    }

    private static Map3 pool(Map3 x, int k, int s, int oa, int ob, int padA, int padB) {
        float[] v = new float[x.c() * oa * ob];
        for (int c = 0; c < x.c(); c++) {
            for (int i = 0; i < oa; i++) {
                for (int j = 0; j < ob; j++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int di = 0; di < k; di++) {
                        for (int dj = 0; dj < k; dj++) {
                            int ii = i * s + di - padA;
                            int jj = j * s + dj - padB;
                            if (ii >= 0 && ii < x.a() && jj >= 0 && jj < x.b()) {
                                m = Math.max(m, x.at(c, ii, jj));
                            }
                        }
                    }
                    v[(c * oa + i) * ob + j] = m;
                }
            }
        }
        return new Map3(x.c(), oa, ob, v);
    }

    /** TF flattens NHWC: position-major, channel-minor. */
    private static float[] flattenHwc(Map3 x) {
        float[] v = new float[x.v().length];
        int n = 0;
        for (int i = 0; i < x.a(); i++) {
            for (int j = 0; j < x.b(); j++) {
                for (int c = 0; c < x.c(); c++) {
                    v[n++] = x.at(c, i, j);
                }
            }
        }
        return v;
    }

    private float[] dense(float[] x, String name) {
        TfjsWeights.Tensor k = w.get(name + "/weights");
        float[] bias = w.get(name + "/bias").values();
        int in = k.shape()[0];
        int out = k.shape()[1];
        float[] v = new float[out];
        for (int o = 0; o < out; o++) {
            double s = bias[o];
            for (int i = 0; i < in; i++) {
                s += x[i] * k.values()[i * out + o];
            }
            v[o] = (float) s;
        }
        return v;
    }

    /** Probability of class 1 under a two-way softmax. */
    private static float softmax1(float l0, float l1) {
        return (float) (1 / (1 + Math.exp(l0 - l1)));
    }
}
