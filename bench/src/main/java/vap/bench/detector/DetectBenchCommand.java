package vap.bench.detector;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vap.core.cli.DurationConverter;
import vap.core.cli.VapSubcommand;
import vap.core.config.Settings;
import vap.detector.cli.DetectCommand;
import vap.vision.image.ImageDecodeException;
import vap.vision.image.ImageDecoder;
import vap.detector.mtcnn.ChannelOrder;
import vap.detector.mtcnn.MtcnnConfig;
import vap.detector.mtcnn.MtcnnDetector;
import vap.detector.mtcnn.StageTimes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * {@code vap detect bench}: MTCNN throughput in frames per second for each frame size and minimum face size,
 * on one core and on all cores, for three ways of running the cascade side by side in the same run:
 * <ul>
 *   <li>{@code unbatched}: one frame at a time, R-Net and O-Net one crop at a time (the reference);</li>
 *   <li>{@code frame}: one frame at a time, R-Net and O-Net over all of the frame's candidates at once;</li>
 *   <li>{@code batched}: {@code --batch} frames per call: R-Net / O-Net over the candidates of all of them, and
 *       the small pyramid levels of all frames in one P-Net pass (MtcnnConfig's pyramid pixel budget).</li>
 *   <li>{@code reference} and {@code large}: as {@code frame}, but the upright reference cascade (no large-face
 *       levels, no rotated passes: detection before issue 12), and with the large-face levels only; so
 *       {@code rotated}: as {@code frame} with detector.rotations=0,-30,30; {@code --modes reference,large,rotated}
 *       prices what issue 12 added, in the same run.</li>
 * </ul>
 * {@code -D key=value} sets any detector.* key for every mode; a mode written {@code frame@key=value@key=value}
 * is frame mode with those keys on top, so settings are priced side by side in one run
 * (e.g. {@code --modes frame,frame@detector.threshold.pnet=0.8}).
 * The modes run interleaved, round after round, and the table gives the median and best round: on a shared
 * machine other processes slow every mode alike, and the best round is the least disturbed.
 * "All cores" runs one worker per core, each with its own frames, PyTorch using one thread per worker (as the
 * service does with detector.threads = cores). Prints a markdown table and where the time goes per stage.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark MTCNN: frames/s per core and on all cores, batched vs unbatched, time per stage.")
public final class DetectBenchCommand implements VapSubcommand {
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    @Option(names = "--images", required = true, split = ",",
            description = "Photos (files or folders) the frames are cut from, e.g. ../shared/testdata/faces/scenes.")
    List<Path> images;
    @Option(names = "--sizes", split = ",", defaultValue = "640x480,1280x720", description = "Frame sizes WxH.")
    List<String> sizes;
    @Option(names = "--min-face-sizes", split = ",", defaultValue = "20,40", description = "Minimum face sizes.")
    List<Integer> minFaceSizes;
    @Option(names = "--modes", split = ",", defaultValue = "unbatched,frame,batched",
            description = "unbatched, frame, batched, reference, large, rotated, paper (frame at thresholds 0.6/0.7/0.7),"
                    + " bgr (frame with the defaults before RGB input: BGR, 0.5/0.5/0.8);"
                    + " frame@key=value[@key=value...] is frame mode with those detector.* keys set.")
    List<String> modes;
    @Option(names = "--frames", defaultValue = "16", description = "Frames per worker, mode and round.")
    int frames;
    @Option(names = "--rounds", defaultValue = "5", description = "Rounds; each runs every mode once.")
    int rounds;
    @Option(names = "--warmup", defaultValue = "10s", converter = DurationConverter.class,
            description = "Warm-up per case before the measured rounds, shared by the modes (the JIT compilers "
                    + "take a fifth of the CPU for the first seconds; a service runs long past that), e.g. 10s, 0s.")
    Duration warmup;
    @Option(names = "--batch", defaultValue = "8", description = "Frames per detectBatch call in batched mode.")
    int batch;
    @Option(names = "--cores", defaultValue = "0", description = "Workers for the all-cores run (0: every core).")
    int cores;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N.")
    String device;
    @Option(names = {"-D", "--set"}, description = "Any detector.* key=value for every mode, e.g. "
            + "-D detector.threshold.pnet=0.7 (--min-face-sizes and --device win over theirs).")
    Map<String, String> extra = new LinkedHashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new DetectBenchCommand()).execute(args));
    }

    @Override
    public String parent() {
        return "detect";
    }

    @Override
    public Integer call() throws Exception {
        // One PyTorch thread per worker and no OpenCV thread pool, so "one core" means one core; the PyTorch
        // setting must precede the engine's start.
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        org.bytedeco.opencv.global.opencv_core.setNumThreads(0);
        int allCores = cores > 0 ? cores : Runtime.getRuntime().availableProcessors();
        List<Mat> photos = loadPhotos();
        System.out.printf(Locale.ROOT, "MTCNN bench: %d photos, %d frames per worker and case after %d s warm-up, batch "
                        + "%d, device %s, %d cores available, DNNL_MAX_CPU_ISA=%s%n%n", photos.size(), frames,
                warmup.toSeconds(), batch, device,
                Runtime.getRuntime().availableProcessors(), System.getenv("DNNL_MAX_CPU_ISA"));
        System.out.println("| frame | min face | mode | workers | frames/s (median) | frames/s (best) "
                + "| frames per CPU-second | vs " + modes.get(0) + " |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        StringBuilder stages = new StringBuilder();
        try {
            for (String size : sizes) {
                String[] wh = size.toLowerCase(Locale.ROOT).split("x");
                List<Mat> cut = frames(photos, Integer.parseInt(wh[0]), Integer.parseInt(wh[1]));
                try {
                    for (int minFace : minFaceSizes) {
                        for (int workers : allCores > 1 ? new int[]{1, allCores} : new int[]{1}) {
                            List<Result> results = run(cut, minFace, workers);
                            double reference = results.get(0).medianFps();
                            for (Result r : results) {
                                System.out.printf(Locale.ROOT, "| %s | %d | %s | %d | %.1f | %.1f | %.1f | %.2fx |%n",
                                        size, minFace, r.mode(), workers, r.medianFps(), r.bestFps(), r.cpuFps(),
                                        r.medianFps() / reference);
                                if (workers == 1) {
                                    stages.append(String.format(Locale.ROOT, "%s, min face %d, %s, 1 worker:%n",
                                            size, minFace, r.mode())).append(r.stages().table());
                                }
                            }
                        }
                    }
                } finally {
                    cut.forEach(Mat::close);
                }
            }
        } finally {
            photos.forEach(Mat::close);
        }
        System.out.println();
        System.out.println("Where the time goes (one worker; per frame):");
        System.out.print(stages);
        return 0;
    }

    /**
     * @param medianFps   frames per wall-clock second, median round
     * @param bestFps     frames per wall-clock second, best round
     * @param cpuFps      frames per second of CPU time the whole process used (median round): what one core
     *                    delivers when nothing else competes for it, which a shared machine's wall clock hides
     */
    private record Result(String mode, double medianFps, double bestFps, double cpuFps, StageTimes stages) {
    }

    /**
     * All modes of one case, interleaved: {@code --rounds} rounds, each running every mode once, so that load
     * from other processes hits all modes alike. Reports the median and the best round per mode.
     */
    private List<Result> run(List<Mat> cut, int minFace, int workers) throws Exception {
        List<MtcnnDetector> detectors = new ArrayList<>();
        List<SimpleMeterRegistry> registries = new ArrayList<>();
        List<StageTimes> afterWarmUp = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            for (String mode : modes) {
                MtcnnConfig config = MtcnnConfig.from(Settings.of(extra)).withMinFaceSize(minFace)
                        .withDevice(device);
                if (mode.startsWith("frame@")) {
                    config = withKeys(mode, minFace).withMaxPyramidBatchPixels(0);
                }
                switch (mode.startsWith("frame@") ? "variant" : mode) {
                    case "variant" -> { }
                    case "unbatched" -> config = config.withMaxCropBatch(1).withMaxPyramidBatchPixels(0);
                    case "frame" -> config = config.withMaxPyramidBatchPixels(0);
                    case "batched" -> { }
                    // Issue 12's before and between: the upright reference cascade, and large faces alone.
                    case "reference" -> config = config.withMaxPyramidBatchPixels(0).withLargeFaces(false)
                            .withRotations(List.of(0.0));
                    case "large" -> config = config.withMaxPyramidBatchPixels(0).withRotations(List.of(0.0));
                    // Frame mode at the paper's thresholds (the defaults before they were chosen on data).
                    case "paper" -> config = config.withMaxPyramidBatchPixels(0).withThresholds(0.6f, 0.7f, 0.7f);
                    // Issue 12's last step: what the networks cost when fed BGR at the thresholds chosen for it.
                    case "bgr" -> config = config.withMaxPyramidBatchPixels(0).withThresholds(0.5f, 0.5f, 0.8f)
                            .withChannels(ChannelOrder.BGR);
                    case "rotated" -> config = config.withMaxPyramidBatchPixels(0)
                            .withRotations(MtcnnConfig.ROLLED_FACES);
                    default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown mode " + mode);
                }
                SimpleMeterRegistry registry = new SimpleMeterRegistry();
                registries.add(registry);
                MtcnnDetector detector = new MtcnnDetector(config, registry);
                detectors.add(detector);
                // Warm-up: PyTorch/oneDNN prepare kernels per tensor shape on first use, and the JIT compiles the
                // Java side; a measurement that starts before both are done reports start-up, not the detector.
                long warmEnd = System.nanoTime() + warmup.toNanos() / modes.size();
                do {
                    runWorkers(pool, detector, cut, mode, workers, Math.max(batch, 4));
                } while (System.nanoTime() < warmEnd);
                afterWarmUp.add(StageTimes.of(registry));
            }
            double[][] fps = new double[modes.size()][rounds];
            double[][] cpuFps = new double[modes.size()][rounds];
            for (int round = 0; round < rounds; round++) {
                for (int m = 0; m < modes.size(); m++) {
                    long cpu0 = PROCESS.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    runWorkers(pool, detectors.get(m), cut, modes.get(m), workers, frames);
                    fps[m][round] = workers * frames / ((System.nanoTime() - t0) / 1e9);
                    cpuFps[m][round] = workers * frames / ((PROCESS.getProcessCpuTime() - cpu0) / 1e9);
                }
            }
            List<Result> results = new ArrayList<>();
            for (int m = 0; m < modes.size(); m++) {
                double[] sorted = fps[m].clone();
                java.util.Arrays.sort(sorted);
                double[] cpu = cpuFps[m].clone();
                java.util.Arrays.sort(cpu);
                results.add(new Result(modes.get(m), sorted[sorted.length / 2], sorted[sorted.length - 1],
                        cpu[cpu.length / 2], StageTimes.of(registries.get(m)).minus(afterWarmUp.get(m))));
            }
            return results;
        } finally {
            pool.shutdownNow();
            detectors.forEach(MtcnnDetector::close);
        }
    }

    /** {@code frame@k=v@k=v}: the -D keys, then the mode's own keys on top. */
    private MtcnnConfig withKeys(String mode, int minFace) {
        Map<String, String> keys = new LinkedHashMap<>(extra);
        for (String part : mode.substring("frame@".length()).split("@")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "mode " + mode + ": expected frame@key=value, got " + part);
            }
            keys.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return MtcnnConfig.from(Settings.of(keys)).withMinFaceSize(minFace).withDevice(device);
    }

    private void runWorkers(ExecutorService pool, MtcnnDetector detector, List<Mat> cut, String mode, int workers,
                            int count) throws Exception {
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int offset = w * 7;
            running.add(pool.submit(() -> {
                if (mode.equals("batched")) {
                    for (int done = 0; done < count; done += batch) {
                        List<Mat> group = new ArrayList<>();
                        for (int i = done; i < Math.min(count, done + batch); i++) {
                            group.add(cut.get((offset + i) % cut.size()));
                        }
                        detector.detectBatch(group);
                    }
                } else {
                    for (int i = 0; i < count; i++) {
                        detector.detect(cut.get((offset + i) % cut.size()));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
    }

    private List<Mat> loadPhotos() throws Exception {
        List<Mat> photos = new ArrayList<>();
        for (Path p : images) {
            for (Path file : DetectCommand.imagesIn(p)) {
                try {
                    photos.add(ImageDecoder.decode(file));
                } catch (ImageDecodeException e) {
                    System.err.println("bench: skipped " + e.getMessage());
                }
            }
        }
        if (photos.isEmpty()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "no decodable photos in " + images);
        }
        return photos;
    }

    /** Each photo scaled to cover w x h and centre-cropped: frames of exactly that size with real faces in them. */
    private static List<Mat> frames(List<Mat> photos, int w, int h) {
        List<Mat> out = new ArrayList<>();
        for (Mat photo : photos) {
            double k = Math.max((double) w / photo.cols(), (double) h / photo.rows());
            int sw = Math.max(w, (int) Math.ceil(photo.cols() * k));
            int sh = Math.max(h, (int) Math.ceil(photo.rows() * k));
            try (Mat scaled = new Mat(); Size size = new Size(sw, sh);
                 Rect centre = new Rect((sw - w) / 2, (sh - h) / 2, w, h)) {
                resize(photo, scaled, size, 0, 0, INTER_AREA);
                try (Mat view = new Mat(scaled, centre)) {
                    out.add(view.clone());
                }
            }
        }
        return out;
    }
}
