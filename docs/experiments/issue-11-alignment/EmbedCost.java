import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import vap.models.InferenceDevice;
import vap.recognizer.embed.ChipRealigner;
import vap.recognizer.embed.EmbedConfig;
import vap.recognizer.embed.FaceEmbedder;
import vap.recognizer.embed.FaceEmbeddingNet;
import vap.recognizer.embed.FaceLandmarkNet;
import vap.vision.align.FaceAligner;
import vap.vision.image.ImageDecoder;

import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

/**
 * Scratch: what recognizer.embed.* costs. The landmark net alone (ms per face at batch 1 and 16), then the
 * embedder at each setting (defaults, mirror, landmarks=68, landmarks=68 + mirror), batch 16, as embeddings per
 * wall second and per CPU second of the process (the latter holds up on a busy machine). One PyTorch thread, as
 * the services run. Chips: 150x150 crops of LFW photos' centres (the content does not change the cost).
 * Args: [rounds] [seconds per round].
 */
public final class EmbedCost {
    static final int BATCH = 16;

    public static void main(String[] args) throws Exception {
        InferenceDevice.requestThreads(1);
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        List<Mat> chips = chips(64);
        System.out.printf(Locale.ROOT, "DNNL_MAX_CPU_ISA=%s, load average %.2f%n", System.getenv("DNNL_MAX_CPU_ISA"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (FaceLandmarkNet net = new FaceLandmarkNet(InferenceDevice.parse("cpu"))) {
            for (int batch : new int[] {1, BATCH}) {
                float[] input = new float[batch * 3 * 112 * 112];
                Runnable pass = () -> {
                    try (NDManager m = net.newPassManager()) {
                        // channels-last, as ChipRealigner hands it over
                        net.forward(m.create(FloatBuffer.wrap(input), new Shape(batch, 112, 112, 3)).transpose(0, 3, 1, 2)).toFloatArray();
                    }
                };
                double[] r = best(pass, batch, rounds, seconds);
                System.out.printf(Locale.ROOT, "landmark net, batch %2d: %.2f ms per face wall, %.2f ms per face CPU%n",
                        batch, 1000 / r[0], 1000 / r[1]);
            }
        }
        try (ChipRealigner realigner = new ChipRealigner(new FaceLandmarkNet(InferenceDevice.parse("cpu")))) {
            double[] r = best(() -> realigner.realign(chips.subList(0, BATCH)).forEach(Mat::close), BATCH, rounds, seconds);
            System.out.printf(Locale.ROOT, "realign (net + fit + warp), batch %d: %.2f ms per face wall, %.2f ms per face CPU%n",
                    BATCH, 1000 / r[0], 1000 / r[1]);
        }
        for (EmbedConfig c : List.of(new EmbedConfig(false, 5), new EmbedConfig(true, 5), new EmbedConfig(false, 68),
                new EmbedConfig(true, 68))) {
            try (FaceEmbedder e = c.embedder(new FaceEmbeddingNet(InferenceDevice.parse("cpu")), BATCH)) {
                double[] r = best(() -> e.embed(chips), chips.size(), rounds, seconds);
                System.out.printf(Locale.ROOT, "embedder mirror=%s landmarks=%d, batch %d: %.1f embeddings/s wall, %.1f per CPU second%n",
                        c.mirror(), c.landmarks(), BATCH, r[0], r[1]);
            }
        }
    }

    /** Best {wall, CPU} rate in faces per second over the rounds, after one warm-up call. */
    static double[] best(Runnable work, int faces, int rounds, double seconds) {
        work.run();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double bestWall = 0;
        double bestCpu = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            long c0 = os.getProcessCpuTime();
            long n = 0;
            while (System.nanoTime() - t0 < seconds * 1e9) {
                work.run();
                n += faces;
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (os.getProcessCpuTime() - c0) / 1e9;
            bestWall = Math.max(bestWall, n / wall);
            bestCpu = Math.max(bestCpu, n / cpu);
        }
        return new double[] {bestWall, bestCpu};
    }

    static List<Mat> chips(int n) throws Exception {
        Path images = Paths.get("/work/shared/testdata/lfw/images");
        List<Mat> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(images)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(n).toList()) {
                try (Mat image = ImageDecoder.decode(f)) {
                    int c = image.cols() / 2;
                    int rr = image.rows() / 2;
                    try (var rect = new org.bytedeco.opencv.opencv_core.Rect(c - 75, rr - 75, FaceAligner.CHIP_SIZE,
                            FaceAligner.CHIP_SIZE); Mat view = new Mat(image, rect)) {
                        out.add(view.clone());
                    }
                }
            }
        }
        if (out.isEmpty()) {
            out.add(new Mat(150, 150, CV_8UC3, new Scalar(128, 128, 128, 0)));
        }
        return out;
    }
}
