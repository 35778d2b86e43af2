import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import vap.vision.face.DetectedFace;
import vap.vision.image.FacePixels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Scratch: face-api.js FaceLandmark68Net on DJL (uint8-quantised TF.js weights). */
final class Landmarks68 implements AutoCloseable {
    static final float[] MEAN = {122.782f, 117.001f, 104.298f};
    final NDManager m = NDManager.newBaseManager(Device.cpu());
    final Map<String, NDArray> p = new HashMap<>();

    Landmarks68(Path dir) throws Exception {
        JsonNode man = new ObjectMapper().readTree(dir.resolve("face_landmark_68_model-weights_manifest.json").toFile());
        byte[] shard = Files.readAllBytes(dir.resolve("face_landmark_68_model-shard1"));
        int off = 0;
        for (JsonNode w : man.get(0).get("weights")) {
            String name = w.get("name").asText();
            long[] shape = new long[w.get("shape").size()];
            long n = 1;
            for (int i = 0; i < shape.length; i++) { shape[i] = w.get("shape").get(i).asLong(); n *= shape[i]; }
            float[] v = new float[(int) n];
            JsonNode q = w.get("quantization");
            if (q != null) {
                double s = q.get("scale").asDouble(), mn = q.get("min").asDouble();
                for (int i = 0; i < n; i++) v[i] = (float) ((shard[off + i] & 0xff) * s + mn);
                off += n;
            } else {
                ByteBuffer bb = ByteBuffer.wrap(shard, off, (int) n * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) v[i] = bb.getFloat();
                off += n * 4;
            }
            NDArray a = m.create(v, new Shape(shape));
            if (name.endsWith("depthwise_filter")) a = a.transpose(2, 3, 0, 1);       // [3,3,C,1] -> [C,1,3,3]
            else if (shape.length == 4) a = a.transpose(3, 2, 0, 1);                  // HWIO -> OIHW
            p.put(name, a);
        }
        if (off != shard.length) throw new IllegalStateException("shard " + shard.length + " read " + off);
    }

    /** 68 points (x,y interleaved) in image coordinates for the face box of d. */
    float[] landmarks(Mat bgr, DetectedFace d) {
        int x1 = Math.max(0, Math.round(d.x1())), y1 = Math.max(0, Math.round(d.y1()));
        int x2 = Math.min(bgr.cols(), Math.round(d.x2())), y2 = Math.min(bgr.rows(), Math.round(d.y2()));
        int w = Math.max(1, x2 - x1), h = Math.max(1, y2 - y1);
        float[] in = new float[3 * 112 * 112];
        try (Mat view = new Mat(bgr, new Rect(x1, y1, w, h)); Mat sq = FacePixels.squareResized(view, 112)) {
            byte[] b = FacePixels.bytes(sq);
            int plane = 112 * 112;
            for (int i = 0; i < plane; i++) {
                in[i] = ((b[3 * i + 2] & 0xff) - MEAN[0]) / 255f;
                in[plane + i] = ((b[3 * i + 1] & 0xff) - MEAN[1]) / 255f;
                in[2 * plane + i] = ((b[3 * i] & 0xff) - MEAN[2]) / 255f;
            }
        }
        float[] out;
        try (NDManager pass = m.newSubManager()) {
            NDArray x = pass.create(FloatBuffer.wrap(in), new Shape(1, 3, 112, 112));
            x = dense(x, "dense0", true);
            x = dense(x, "dense1", false);
            x = dense(x, "dense2", false);
            x = dense(x, "dense3", false);
            x = Pool.avgPool2d(x, new Shape(7, 7), new Shape(2, 2), new Shape(0, 0), false, true);
            x = x.reshape(1, 256).matMul(p.get("fc/weights")).add(p.get("fc/bias"));
            out = x.toFloatArray();
        }
        int s = Math.max(w, h);
        float[] pts = new float[136];
        for (int i = 0; i < 68; i++) {
            pts[2 * i] = out[2 * i] * s - (s - w) / 2f + x1;
            pts[2 * i + 1] = out[2 * i + 1] * s - (s - h) / 2f + y1;
        }
        return pts;
    }

    NDArray dense(NDArray x, String b, boolean first) {
        NDArray o1 = first ? conv(padSame2(x), p.get(b + "/conv0/filters"), p.get(b + "/conv0/bias"), 2, 0, 1)
                : sep(x, b + "/conv0", 2);
        o1 = relu(o1);
        NDArray o2 = sep(o1, b + "/conv1", 1);
        NDArray in3 = relu(o1.add(o2));
        NDArray o3 = sep(in3, b + "/conv2", 1);
        NDArray in4 = relu(o1.add(o2.add(o3)));
        NDArray o4 = sep(in4, b + "/conv3", 1);
        return relu(o1.add(o2.add(o3.add(o4))));
    }

    NDArray sep(NDArray x, String c, int stride) {
        NDArray dw = p.get(c + "/depthwise_filter");
        int ch = (int) dw.getShape().get(0);
        NDArray in = stride == 2 ? padSame2(x) : x;
        NDArray y = conv(in, dw, x.getManager().zeros(new Shape(ch)), stride, stride == 2 ? 0 : 1, ch);
        return conv(y, p.get(c + "/pointwise_filter"), p.get(c + "/bias"), 1, 0, 1);
    }

    static NDArray conv(NDArray x, NDArray w, NDArray bias, int stride, int pad, int groups) {
        return Conv2d.conv2d(x, w, bias, new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1), groups).singletonOrThrow();
    }

    /** TF "same" for a 3x3 stride-2 conv on an even size: one extra zero row and column at the bottom/right. */
    static NDArray padSame2(NDArray x) {
        Shape s = x.getShape();
        NDArray y = x.concat(x.getManager().zeros(new Shape(s.get(0), s.get(1), 1, s.get(3)), DataType.FLOAT32), 2);
        Shape t = y.getShape();
        return y.concat(y.getManager().zeros(new Shape(t.get(0), t.get(1), t.get(2), 1), DataType.FLOAT32), 3);
    }

    static NDArray relu(NDArray x) {
        return x.clip(0f, Float.MAX_VALUE);
    }

    @Override
    public void close() {
        m.close();
    }
}
