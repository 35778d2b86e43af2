package vap.bench.pipeline;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vap.core.cli.DurationConverter;
import vap.core.cli.VapCommand;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.Topics;
import vap.detector.service.DetectorConfig;
import vap.detector.service.DetectorService;
import vap.embedded.EmbeddedStack;
import vap.demo.PipelineProgress;
import vap.demo.RunSummary;
import vap.demo.SampleCamera;
import vap.demo.SamplePipeline;
import vap.demo.SampleScenes;
import vap.demo.TopicReader;
import vap.messages.Alert;
import vap.messages.FaceCrop;
import vap.messages.Sighting;
import vap.recognizer.RecognizerConfig;
import vap.recognizer.service.RecognizerService;
import vap.sinks.SinksConfig;
import vap.sinks.SinksService;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code vap pipeline-bench}: the whole pipeline on the embedded stack of this machine.
 * <ol>
 *   <li>Live: 1, 4 and 8 simulated RTSP cameras at {@code --fps} each for {@code --duration}: end-to-end latency
 *   percentiles (capture to sighting, capture to alert), throughput, and where the time goes per face (capture to
 *   detection, detection to recognition, recognition to alert), read from the records' own timestamps.</li>
 *   <li>Replay ({@link PipelineReplay}): the frames recorded by the last live run (the last of {@code --cameras}),
 *   processed again from Kafka (fresh consumer groups) by the whole pipeline, then by the detector alone and the
 *   recognizer alone: the ratio of pipeline throughput to its slowest stage alone says what the plumbing costs;
 *   with {@code --compare-per-frame} also per-frame recognition on the same frames.</li>
 * </ol>
 * Each phase reports the CPU per frame of each stage ({@link ThreadCpu}), which is what tells a live run's
 * throughput from its replay's: live, the cameras' decoding and the RTSP server share the same cores.
 */
@Command(name = "pipeline-bench", mixinStandardHelpOptions = true,
        description = "Benchmark the whole pipeline: latency and throughput with 1, 4 and 8 cameras; pipeline vs slowest stage alone.")
public final class PipelineBenchCommand implements VapCommand {
    @Option(names = "--work-dir", defaultValue = ".vap/bench", description = "Scratch directory, emptied per run (default ${DEFAULT-VALUE}).")
    Path workDir;
    @Option(names = "--cameras", split = ",", defaultValue = "1,4,8", description = "Camera counts to run; the replay uses the last one's recording (default ${DEFAULT-VALUE}).")
    List<Integer> cameraCounts;
    @Option(names = "--fps", defaultValue = "2", description = "Frames per second per camera (default ${DEFAULT-VALUE}).")
    double fps;
    @Option(names = "--duration", defaultValue = "40s", converter = DurationConverter.class,
            description = "Live play time per camera count (default ${DEFAULT-VALUE}).")
    Duration duration;
    @Option(names = "--compare-per-frame", description = "Replay twice more: recognizer alone and whole pipeline with per-frame "
            + "recognition (recognizer.track.reembed.interval=0ms), beside the per-track settings.")
    boolean comparePerFrame;
    @Option(names = {"-D", "--set"}, description = "Any configuration key=value.")
    Map<String, String> extra = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        Duration play = duration;
        Path work = workDir.toAbsolutePath();
        Path video = SampleScenes.build(SamplePipeline.SCENES, work.resolve("sample-camera.mp4"));
        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "machine: %d cores, %d MB max heap; sample camera %dx%d, %.1f fps per camera, %d s per run",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                SampleScenes.WIDTH, SampleScenes.HEIGHT, fps, play.toSeconds()));
        for (int i = 0; i < cameraCounts.size(); i++) {
            int cams = cameraCounts.get(i);
            Path runDir = work.resolve("cameras-" + cams);
            deleteTree(runDir);
            try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Config.defaults(runDir))) {
                report.addAll(live(stack, runDir, video, cams, play));
                if (i == cameraCounts.size() - 1) {
                    report.addAll(new PipelineReplay(stack.kafkaSettings(), runDir, settings(stack, runDir)).run(comparePerFrame));
                }
            }
        }
        System.out.println();
        report.forEach(System.out::println);
        return 0;
    }

    private Settings settings(EmbeddedStack stack, Path dir) {
        return SamplePipeline.settings(stack, dir, "5s", extra);
    }

    private List<String> live(EmbeddedStack stack, Path dir, Path video, int cams, Duration play) throws Exception {
        KafkaSettings kafka = stack.kafkaSettings();
        Topics topics = Topics.defaults();
        Settings settings = settings(stack, dir);
        TopicAdmin.ensureTopics(kafka, topics, Math.max(4, cams), (short) 1);
        var metrics = new SimpleMeterRegistry();
        Instant start;
        Instant drainedAt;
        double drainedAfter;
        ThreadCpu cpu;
        ThreadCpu.Result used;
        double streamingAfter;
        String ingest;
        try (SinksService sinks = SinksService.start(SinksConfig.from(settings), kafka, metrics);
             RecognizerService recognizer = RecognizerService.start(settings, metrics)) {
            int enrolled = SamplePipeline.enrolWatchlist(settings, dir, recognizer);
            if (enrolled < SamplePipeline.WATCHLIST_SIZE) {
                throw new IllegalStateException("the recognizer holds " + enrolled + " of the sample watchlist's " + SamplePipeline.WATCHLIST_SIZE);
            }
            try (DetectorService detector = DetectorService.start(DetectorConfig.from(settings), kafka, metrics);
                 PipelineProgress progress = new PipelineProgress(kafka, List.of())) {
                cpu = ThreadCpu.start();
                start = Instant.now();
                try (SampleCamera camera = SampleCamera.start(video, cams, fps, settings, kafka, metrics)) {
                    // The cameras connect one after another, seconds each: play for --duration once all stream.
                    streamingAfter = awaitStreaming(metrics, cams, start);
                    Thread.sleep(play.toMillis());
                    cpu.sample(); // the cameras' threads and the RTSP server end when they close
                    ingest = String.format(Locale.ROOT, "ingest decoded %.0f frames to publish %.0f, dropped %.0f",
                            sum(metrics, "vap.ingest.frames.decoded"), sum(metrics, "vap.ingest.frames.published"),
                            sum(metrics, "vap.ingest.frames.dropped")); // its meters go when the cameras close
                }
                progress.awaitDrained(Map.of(DetectorConfig.from(settings).groupId(), topics.frames(),
                        RecognizerConfig.from(settings).groupId(), topics.faces(),
                        SinksConfig.from(settings).groupId(), topics.sightings()), 600_000);
                drainedAt = Instant.now();
                drainedAfter = Duration.between(start, drainedAt).toMillis() / 1000.0;
                used = cpu.stop();
                Thread.sleep(2000);
            }
        }
        RunSummary summary = RunSummary.collect(kafka, topics, stack.postgres().jdbcUrl(), start, play.toSeconds());
        Map<String, FaceCrop> faces = new HashMap<>();
        TopicReader.readAll(kafka, topics.faces(), FaceCrop.class, f -> true).forEach(r -> faces.put(
                key(r.value().getFrame().getCameraId(), r.value().getFrame().getSequence(), r.value().getFaceIndex()), r.value()));
        Map<String, Sighting> sightings = new HashMap<>();
        TopicReader.readAll(kafka, topics.sightings(), Sighting.class, s -> true).forEach(r -> sightings.put(
                key(r.value().getFrame().getCameraId(), r.value().getFrame().getSequence(), r.value().getFaceIndex()), r.value()));
        double detectMs = 0;
        double recogniseMs = 0;
        int joined = 0;
        for (var e : sightings.entrySet()) {
            FaceCrop f = faces.get(e.getKey());
            if (f != null) {
                long capture = f.getFrame().getCaptureTimestamp().toEpochMilli();
                detectMs += f.getDetectedTimestamp().toEpochMilli() - capture;
                recogniseMs += e.getValue().getRecognizedTimestamp().toEpochMilli() - f.getDetectedTimestamp().toEpochMilli();
                joined++;
            }
        }
        double alertMs = 0;
        int alerts = 0;
        for (var r : TopicReader.readAll(kafka, topics.alerts(), Alert.class, a -> true)) {
            Sighting s = sightings.get(key(r.value().getCameraId(), r.value().getFrame().getSequence(), r.value().getFaceIndex()));
            if (s != null) {
                alertMs += r.value().getAlertedTimestamp().toEpochMilli() - s.getRecognizedTimestamp().toEpochMilli();
                alerts++;
            }
        }
        long[] span = FrameSpan.of(kafka, topics.frames());
        double published = (span[1] - span[0]) / 1000.0;
        double busy = (drainedAt.toEpochMilli() - span[0]) / 1000.0;
        double total = detectMs / Math.max(1, joined) + recogniseMs / Math.max(1, joined);
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "%d camera(s): offered %.1f frames/s; published %d frames, %d faces, %d sightings, %d alerts; "
                        + "all written %.1f s after start (%.2f frames/s, %.2f faces/s end to end)",
                cams, cams * fps, summary.frames(), summary.faces(), summary.sightings(), summary.alerts(), drainedAfter,
                summary.frames() / drainedAfter, summary.sightings() / drainedAfter));
        out.add(String.format(Locale.ROOT, "    cameras published %.2f frames/s from first to last frame (%.1f s); the pipeline wrote the last "
                        + "result %.1f s after the last frame: %.2f frames/s processed from first frame to drained",
                summary.frames() / Math.max(1e-3, published), published, busy - published, summary.frames() / Math.max(1e-3, busy)));
        out.add("    " + used.perUnit(summary.frames(), "frame"));
        out.add(String.format(Locale.ROOT, "    all %d camera(s) streaming %.1f s after start; %s", cams, streamingAfter, ingest));
        out.add("    " + BatchStats.describe(metrics));
        out.add(String.format(Locale.ROOT, "    latency capture->sighting p50 %.0f / p95 %.0f / p99 %.0f ms; capture->alert p50 %.0f / p95 %.0f / p99 %.0f ms",
                RunSummary.percentile(summary.sightingLatencyMs(), 50), RunSummary.percentile(summary.sightingLatencyMs(), 95),
                RunSummary.percentile(summary.sightingLatencyMs(), 99), RunSummary.percentile(summary.alertLatencyMs(), 50),
                RunSummary.percentile(summary.alertLatencyMs(), 95), RunSummary.percentile(summary.alertLatencyMs(), 99)));
        out.add(String.format(Locale.ROOT, "    per face: capture->detected %.0f ms (%.0f%%: ingest, Kafka, detector queue + MTCNN), "
                        + "detected->recognized %.0f ms (%.0f%%: recognizer queue + embedding, age, search); recognized->alert %.0f ms (alert stream)",
                detectMs / Math.max(1, joined), 100 * detectMs / Math.max(1, joined) / total,
                recogniseMs / Math.max(1, joined), 100 * recogniseMs / Math.max(1, joined) / total, alertMs / Math.max(1, alerts)));
        return out;
    }

    /** Seconds from {@code start} until every camera has published a frame (at most two minutes). */
    private static double awaitStreaming(SimpleMeterRegistry metrics, int cams, Instant start) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline && metrics.find("vap.ingest.frames.published").functionCounters().stream()
                .filter(c -> c.count() > 0).count() < cams) {
            Thread.sleep(100);
        }
        return Duration.between(start, Instant.now()).toMillis() / 1000.0;
    }

    private static double sum(SimpleMeterRegistry metrics, String name) {
        return metrics.find(name).functionCounters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static String key(String camera, long seq, int face) {
        return camera + "/" + seq + "/" + face;
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (!java.nio.file.Files.exists(p)) {
            return;
        }
        try (var walk = java.nio.file.Files.walk(p)) {
            for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(f);
            }
        }
    }
}
