package vap.recognizer.embed;

import vap.models.TfjsWeights;

/**
 * face-api.js's FaceLandmark68Net in plain Java loops, straight from the TF.js tensors (HWIO filters, [C, 1]
 * depthwise multipliers, [in, out] dense weights) and TensorFlow's "same" padding rule (pad total
 * max((out - 1) * stride + k - in, 0), the smaller half before). No PyTorch, no layout changes: what
 * {@link FaceLandmarkNet} computes must equal this.
 */
final class ReferenceLandmarkNet {
    private final TfjsWeights w;

    ReferenceLandmarkNet(TfjsWeights weights) {
        this.w = weights;
    }

    /** One image [3, 112, 112] (CHW) -> 136 outputs. */
    float[] forward(float[] chw) {
        Map3 x = new Map3(3, FaceLandmarkNet.INPUT_SIZE, FaceLandmarkNet.INPUT_SIZE, chw);
        for (int b = 0; b < FaceLandmarkNet.BLOCKS.length; b++) {
            x = denseBlock(x, FaceLandmarkNet.BLOCKS[b], b == 0);
        }
        // tf.avgPool 7x7 stride 2 'valid' on the 7x7 map: the mean of each channel.
        float[] pooled = new float[x.c];
        for (int c = 0; c < x.c; c++) {
            double sum = 0;
            for (int i = 0; i < 7; i++) {
                for (int j = 0; j < 7; j++) {
                    sum += x.at(c, i, j);
                }
            }
            pooled[c] = (float) (sum / 49);
        }
        TfjsWeights.Tensor fc = w.get("fc/weights");
        float[] bias = w.get("fc/bias").values();
        int outs = fc.shape()[1];
        float[] out = new float[outs];
        for (int o = 0; o < outs; o++) {
            double sum = bias[o];
            for (int i = 0; i < pooled.length; i++) {
                sum += pooled[i] * fc.values()[i * outs + o];
            }
            out[o] = (float) sum;
        }
        return out;
    }

    private Map3 denseBlock(Map3 x, String block, boolean first) {
        Map3 out1 = relu(first ? conv(x, w.get(block + "/conv0/filters"), w.get(block + "/conv0/bias").values(), 2)
                : separable(x, block + "/conv0", 2));
        Map3 out2 = separable(out1, block + "/conv1", 1);
        Map3 out3 = separable(relu(sum(out1, out2)), block + "/conv2", 1);
        Map3 out4 = separable(relu(sum(out1, out2, out3)), block + "/conv3", 1);
        return relu(sum(out1, out2, out3, out4));
    }

    private Map3 separable(Map3 x, String conv, int stride) {
        TfjsWeights.Tensor dw = w.get(conv + "/depthwise_filter"); // [3, 3, C, 1]
        int c = x.c;
        int oh = (x.h + stride - 1) / stride;
        int ow = (x.w + stride - 1) / stride;
        int padTop = Math.max((oh - 1) * stride + 3 - x.h, 0) / 2;
        int padLeft = Math.max((ow - 1) * stride + 3 - x.w, 0) / 2;
        Map3 y = new Map3(c, oh, ow, new float[c * oh * ow]);
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double sum = 0;
                    for (int ki = 0; ki < 3; ki++) {
                        for (int kj = 0; kj < 3; kj++) {
                            sum += x.padded(ch, i * stride + ki - padTop, j * stride + kj - padLeft)
                                    * dw.values()[(ki * 3 + kj) * c + ch];
                        }
                    }
                    y.set(ch, i, j, (float) sum);
                }
            }
        }
        return conv(y, w.get(conv + "/pointwise_filter"), w.get(conv + "/bias").values(), 1);
    }

    /** A full convolution with HWIO filters, TF "same" padding, plus bias. */
    private static Map3 conv(Map3 x, TfjsWeights.Tensor filters, float[] bias, int stride) {
        int kh = filters.shape()[0];
        int kw = filters.shape()[1];
        int in = filters.shape()[2];
        int outC = filters.shape()[3];
        int oh = (x.h + stride - 1) / stride;
        int ow = (x.w + stride - 1) / stride;
        int padTop = Math.max((oh - 1) * stride + kh - x.h, 0) / 2;
        int padLeft = Math.max((ow - 1) * stride + kw - x.w, 0) / 2;
        float[] f = filters.values();
        Map3 y = new Map3(outC, oh, ow, new float[outC * oh * ow]);
        for (int o = 0; o < outC; o++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double sum = bias[o];
                    for (int ki = 0; ki < kh; ki++) {
                        for (int kj = 0; kj < kw; kj++) {
                            for (int c = 0; c < in; c++) {
                                sum += x.padded(c, i * stride + ki - padTop, j * stride + kj - padLeft)
                                        * f[((ki * kw + kj) * in + c) * outC + o];
                            }
                        }
                    }
                    y.set(o, i, j, (float) sum);
                }
            }
        }
        return y;
    }

    private static Map3 sum(Map3... maps) {
        float[] out = new float[maps[0].v.length];
        for (Map3 m : maps) {
            for (int i = 0; i < out.length; i++) {
                out[i] += m.v[i];
            }
        }
        return new Map3(maps[0].c, maps[0].h, maps[0].w, out);
    }

    private static Map3 relu(Map3 m) {
        float[] out = new float[m.v.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(0f, m.v[i]);
        }
        return new Map3(m.c, m.h, m.w, out);
    }

    /** A feature map, channels first. */
    private record Map3(int c, int h, int w, float[] v) {
        float at(int ch, int i, int j) {
            return v[(ch * h + i) * w + j];
        }

        float padded(int ch, int i, int j) {
            return i < 0 || j < 0 || i >= h || j >= w ? 0f : at(ch, i, j);
        }

        void set(int ch, int i, int j, float value) {
            v[(ch * h + i) * w + j] = value;
        }
    }
}
