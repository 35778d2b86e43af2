package vap.bench.idle;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.Topics;
import vap.demo.SamplePipeline;
import vap.demo.SampleScenes;
import vap.detector.service.DetectorConfig;
import vap.detector.service.DetectorService;
import vap.embedded.EmbeddedKafka;
import vap.embedded.SchemaRegistryServer;
import vap.ingest.CameraStatus;
import vap.ingest.IngestConfig;
import vap.ingest.IngestService;
import vap.ingest.camera.CameraSource;
import vap.testsupport.TestVideos;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * The idle-camera benchmark behind {@code vap idle-bench}. One embedded broker and schema registry in this JVM; per
 * case fresh topics, a detector service and an ingest service with N looped file cameras, a warm-up, then a
 * measured window: CPU of the whole process (broker included) and of the ingest camera threads and detector
 * worker threads (ThreadMXBean), frames published, detected and skipped.
 *
 * <p>On a shared machine the detector may fall behind the cameras (its one thread gets a fair share of the cores,
 * not what it needs), and a detector that falls behind spends less CPU than one that keeps up would. So the
 * table also gives the detector's CPU per frame it worked through times the frames published: the CPU per minute
 * it needs to keep up, and the process figure with that in place of what it got.
 */
final class IdleBench {
    record Options(int cameras, double fps, Duration duration, Duration warmup, Path workDir, Map<String, String> extra) {
        Options {
            if (cameras < 1 || !(fps > 0) || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("idle-bench needs at least one camera, fps above 0 and a positive duration");
            }
        }
    }

    /** Counters read at the start and end of a measured window. */
    private record Snapshot(long wallNanos, long processCpuNanos, long cameraCpuNanos, long detectorCpuNanos,
                            long published, double detected, double skipped, double faces, Map<String, Double> decisions) {
        static Snapshot take(MeterRegistry metrics, IngestService ingest) {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cameras = 0;
            long detector = 0;
            for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (t == null) {
                    continue;
                }
                long cpu = threads.getThreadCpuTime(t.getThreadId());
                if (cpu < 0) {
                    continue;
                }
                if (t.getThreadName().startsWith("camera-")) {
                    cameras += cpu;
                } else if (t.getThreadName().startsWith("detector-worker")) {
                    detector += cpu;
                }
            }
            long published = ingest.status().cameras().stream().mapToLong(CameraStatus::published).sum();
            return new Snapshot(System.nanoTime(), processCpu(), cameras, detector, published,
                    frames(metrics, "faces") + frames(metrics, "no_faces"), frames(metrics, "skipped_static"),
                    Search.in(metrics).name("vap.detector.faces").counters().stream().mapToDouble(c -> c.count()).sum(),
                    decisions(metrics));
        }

        private static Map<String, Double> decisions(MeterRegistry metrics) {
            Map<String, Double> out = new java.util.TreeMap<>();
            Search.in(metrics).name("vap.detector.motion.frames").counters()
                    .forEach(c -> out.merge(c.getId().getTag("decision"), c.count(), Double::sum));
            return out;
        }

        private static double frames(MeterRegistry metrics, String result) {
            return Search.in(metrics).name("vap.detector.frames").tag("result", result).counters().stream()
                    .mapToDouble(c -> c.count()).sum();
        }

        private static long processCpu() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }
    }

    private final Options options;
    private final PrintStream out;

    IdleBench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    void run() throws Exception {
        Path work = options.workDir();
        Files.createDirectories(work);
        Path still = staticScene(work.resolve("static-scene.mp4"));
        Path people = SampleScenes.build(SamplePipeline.SCENES, work.resolve("sample-camera.mp4"));
        List<String> rows = new ArrayList<>();
        Path kafkaDir = work.resolve("kafka");
        deleteTree(kafkaDir);
        try (SchemaRegistryServer registry = SchemaRegistryServer.start(0);
             EmbeddedKafka kafka = EmbeddedKafka.start(kafkaDir)) {
            int n = 0;
            // Interleaved, so that a change in the machine's load affects both scenes alike.
            for (String scene : List.of("static", "people")) {
                for (boolean gating : List.of(false, true)) {
                    rows.add(runCase(kafka, registry, n++, scene, scene.equals("static") ? still : people, gating));
                }
            }
        }
        out.println();
        out.printf(Locale.ROOT, "%d looped file cameras at %.1f fps each (%dx%d), ingest + detector (min face %s) + broker in one JVM, "
                        + "%d cores; %d s measured per case after %d s warm-up%n", options.cameras(), options.fps(),
                SampleScenes.WIDTH, SampleScenes.HEIGHT, settingsFor(null, null, "-", true).string("detector.min.face.size", "?"),
                Runtime.getRuntime().availableProcessors(), options.duration().toSeconds(), options.warmup().toSeconds());
        out.println();
        out.println("CPU seconds per minute; 'to keep up' = the detector's CPU per frame it worked through x the frames published");
        out.println();
        out.println("| scene | motion gating | process, measured | ingest threads | detector threads | rest (broker, GC, ...) "
                + "| frames published | worked through | MTCNN frames | skipped | faces | detector to keep up | process to keep up | per camera |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(out::println);
    }

    private String runCase(EmbeddedKafka kafka, SchemaRegistryServer registry, int index, String scene, Path video,
                           boolean gating) throws Exception {
        Settings s = settingsFor(kafka, registry, "idle" + index + ".", gating);
        Topics topics = Topics.from(s);
        int partitions = Math.min(8, options.cameras());
        kafka.createTopic(topics.frames(), partitions, false);
        kafka.createTopic(topics.faces(), partitions, false);
        kafka.createTopic(Topics.deadLetterTopic(topics.frames()), 1, false);
        List<CameraSource> cameras = new ArrayList<>();
        for (int i = 0; i < options.cameras(); i++) {
            cameras.add(CameraSource.of("cam-" + i, video.toString()).withLoop(true).withFps(options.fps()));
        }
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        KafkaSettings ks = KafkaSettings.of(kafka.bootstrapServers(), registry.url());
        Snapshot a;
        Snapshot b;
        out.printf(Locale.ROOT, "case %d: %s scene, motion gating %s ...%n", index + 1, scene, gating ? "on" : "off");
        try (DetectorService detector = DetectorService.start(DetectorConfig.from(s), ks, metrics);
             IngestService ingest = new IngestService(IngestConfig.from(s), ks, metrics, cameras).start()) {
            Thread.sleep(options.warmup().toMillis());
            a = Snapshot.take(metrics, ingest);
            Thread.sleep(options.duration().toMillis());
            b = Snapshot.take(metrics, ingest);
        }
        double minutes = (b.wallNanos() - a.wallNanos()) / 60e9;
        double process = (b.processCpuNanos() - a.processCpuNanos()) / 1e9 / minutes;
        double cams = (b.cameraCpuNanos() - a.cameraCpuNanos()) / 1e9 / minutes;
        double det = (b.detectorCpuNanos() - a.detectorCpuNanos()) / 1e9 / minutes;
        long published = b.published() - a.published();
        double detected = b.detected() - a.detected();
        double skipped = b.skipped() - a.skipped();
        double workedThrough = detected + skipped;
        double detNeeded = workedThrough > 0 ? det * published / workedThrough : Double.NaN;
        double processNeeded = process - det + detNeeded;
        String row = String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f | %d | %.0f | %.0f | %.0f | %.0f | %.1f | %.1f | %.2f |",
                scene, gating ? "on" : "off", process, cams, det, process - cams - det, published, workedThrough, detected,
                skipped, b.faces() - a.faces(), detNeeded, processNeeded, processNeeded / options.cameras());
        Map<String, Double> decisions = new java.util.TreeMap<>(b.decisions());
        a.decisions().forEach((k, v) -> decisions.merge(k, -v, Double::sum));
        out.println("    " + row);
        out.println("    gate decisions in the window: " + decisions);
        return row;
    }

    private Settings settingsFor(EmbeddedKafka kafka, SchemaRegistryServer registry, String prefix, boolean gating) {
        Map<String, String> s = new LinkedHashMap<>();
        if (kafka != null) {
            s.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            s.put("registry.url", registry.url());
        }
        s.put("topics.prefix", prefix);
        s.put("detector.group.id", prefix + "detector");
        // As the sample pipeline runs: the sample camera's faces are larger than 40 px.
        s.put("detector.min.face.size", "40");
        s.putAll(options.extra());
        s.put("detector.motion.gating", Boolean.toString(gating));
        return Settings.of(s);
    }

    /**
     * A camera on an empty room: a sample photo blurred past recognition (no faces), 10 s at 10 fps with ffmpeg's
     * temporal noise (about 6 grey levels), so the picture is as static as a real camera's, not more.
     */
    private static Path staticScene(Path out) {
        if (Files.exists(out)) {
            return out;
        }
        Path background = out.resolveSibling("static-background.png");
        try (Mat photo = imdecode(new Mat(SampleScenes.photo("sample3.jpg")), IMREAD_COLOR);
             Mat sized = new Mat(); Mat blurred = new Mat()) {
            resize(photo, sized, new Size(SampleScenes.WIDTH, SampleScenes.HEIGHT), 0, 0, INTER_AREA);
            GaussianBlur(sized, blurred, new Size(0, 0), 25);
            imwrite(background.toString(), blurred);
        }
        Path partial = out.resolveSibling(out.getFileName() + ".partial.mp4");
        TestVideos.run(TestVideos.FFMPEG.toString(), "-nostdin", "-loglevel", "error", "-y", "-loop", "1",
                "-framerate", "10", "-i", background.toString(), "-t", "10", "-vf", "noise=alls=6:allf=t,format=yuv420p",
                "-c:v", "libx264", "-preset", "veryfast", "-g", "10", "-bf", "0", partial.toString());
        try {
            Files.move(partial, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
