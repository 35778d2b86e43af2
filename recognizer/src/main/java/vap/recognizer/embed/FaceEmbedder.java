package vap.recognizer.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.bytedeco.opencv.opencv_core.Mat;
import vap.vision.image.FacePixels;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Face crops in, 128-d L2-normalised embeddings out, {@code batchSize} faces per forward pass.
 * A crop of any size is padded to a centred square and resized to 150x150 first; the detector's
 * aligned crop is already 150x150 and goes straight in. Optionally a face's descriptor is the mean of the
 * descriptors of the crop and its mirror image (test-time flip: better separation on LFW DevTrain, README
 * "Recognition accuracy"), at the cost of a second pass of the network per face. Optionally each chip is first
 * re-aligned on 68 landmarks ({@link ChipRealigner}), all faces of a batch in one pass. Both are on by default;
 * producers of embeddings get their embedder from {@link EmbedConfig#embedder} so gallery and probes agree.
 */
public final class FaceEmbedder implements AutoCloseable {
    private final FaceEmbeddingNet net;
    private final int batchSize;
    private final boolean withMirror;
    /** Null: the chips go in as they come (5-point alignment). */
    private final ChipRealigner realigner;

    /** The bare network: the crop as it comes, no mirror (the benchmark and tests; not the default embedding). */
    public FaceEmbedder(FaceEmbeddingNet net, int batchSize) {
        this(net, batchSize, false);
    }

    /** {@code withMirror}: average each face's descriptor with its mirror image's (false: the crop alone, half the cost). */
    public FaceEmbedder(FaceEmbeddingNet net, int batchSize, boolean withMirror) {
        this(net, batchSize, withMirror, null);
    }

    /** {@code realigner}: re-aligns each chip on 68 points first (null: as it comes); this embedder closes it. */
    public FaceEmbedder(FaceEmbeddingNet net, int batchSize, boolean withMirror, ChipRealigner realigner) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.net = net;
        this.batchSize = batchSize;
        this.withMirror = withMirror;
        this.realigner = realigner;
    }

    /** The points the chips are aligned on: 68 when they are re-aligned here, else the detector's 5. */
    public int landmarks() {
        return realigner == null ? 5 : 68;
    }

    /** The recognizer.embed.* settings this embedder follows (what a gallery entry records). */
    public EmbedConfig config() {
        return new EmbedConfig(withMirror, landmarks());
    }

    public boolean withMirror() {
        return withMirror;
    }

    public int batchSize() {
        return batchSize;
    }

    public float[] embed(Mat face) {
        return embed(List.of(face)).get(0);
    }

    /** One unit-length embedding per crop, in order. */
    public List<float[]> embed(List<Mat> faces) {
        List<float[]> out = descriptors(faces);
        out.replaceAll(Embeddings::normalised);
        return out;
    }

    /**
     * The net's raw 128-d descriptors (norm about 1.4), as face-api.js and dlib report them; dlib's
     * "same person below 0.6" is a distance between these, not between normalised embeddings. With the mirror,
     * the mean of the crop's and the mirror's descriptors.
     */
    public List<float[]> descriptors(List<Mat> faces) {
        List<float[]> out = new ArrayList<>(faces.size());
        for (int from = 0; from < faces.size(); from += batchSize) {
            List<Mat> batch = faces.subList(from, Math.min(faces.size(), from + batchSize));
            List<Mat> realigned = realigner == null ? batch : realigner.realign(batch);
            try {
                List<float[]> plain = descriptorBatch(realigned, false);
                if (withMirror) {
                    List<float[]> mirrored = descriptorBatch(realigned, true);
                    for (int i = 0; i < plain.size(); i++) {
                        float[] a = plain.get(i);
                        float[] b = mirrored.get(i);
                        for (int j = 0; j < a.length; j++) {
                            a[j] = (a[j] + b[j]) / 2;
                        }
                    }
                }
                out.addAll(plain);
            } finally {
                if (realigned != batch) {
                    realigned.forEach(Mat::close);
                }
            }
        }
        return out;
    }

    private List<float[]> descriptorBatch(List<Mat> faces, boolean mirror) {
        int n = faces.size();
        int s = FaceEmbeddingNet.INPUT_SIZE;
        int plane = s * s;
        float[] input = new float[n * 3 * plane];
        for (int i = 0; i < n; i++) {
            byte[] bgr = FacePixels.bytes(FacePixels.squareResized(faces.get(i), s));
            // (x - mean) / 256 as face-api.js normalises for this net.
            ChannelsLastInput.pack(bgr, s, FaceEmbeddingNet.MEAN_RGB, FaceEmbeddingNet.SCALE, mirror, input, i * 3 * plane);
        }
        float[] raw;
        try (NDManager pass = net.newPassManager()) {
            // [N, 3, 150, 150] stored channels-last (FaceEmbeddingNet.channelsLast): a view, no copy.
            NDArray x = pass.create(FloatBuffer.wrap(input), new Shape(n, s, s, 3)).transpose(0, 3, 1, 2);
            raw = net.forward(x).toFloatArray();
        }
        List<float[]> out = new ArrayList<>(n);
        int d = FaceEmbeddingNet.DIMENSION;
        for (int i = 0; i < n; i++) {
            float[] e = new float[d];
            System.arraycopy(raw, i * d, e, 0, d);
            out.add(e);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            net.close();
        } finally {
            if (realigner != null) {
                realigner.close();
            }
        }
    }
}
