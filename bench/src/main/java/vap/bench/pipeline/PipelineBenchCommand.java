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
 *   <li>Replay: the frames recorded by the last live run, processed again from Kafka (fresh consumer groups) by
 *   the whole pipeline, then by the detector alone and the recognizer alone: the ratio of pipeline throughput to
 *   its slowest stage alone says what the plumbing costs.</li>
 * </ol>
 */
@Command(name = "pipeline-bench", mixinStandardHelpOptions = true,
        description = "Benchmark the whole pipeline: latency and throughput with 1, 4 and 8 cameras; pipeline vs slowest stage alone.")
public final class PipelineBenchCommand implements VapCommand {
    @Option(names = "--work-dir", defaultValue = ".vap/bench", description = "Scratch directory, emptied per run (default ${DEFAULT-VALUE}).")
    Path workDir;
    @Option(names = "--cameras", split = ",", defaultValue = "1,4,8", description = "Camera counts to run (default ${DEFAULT-VALUE}).")
    List<Integer> cameraCounts;
    @Option(names = "--fps", defaultValue = "2", description = "Frames per second per camera (default ${DEFAULT-VALUE}).")
    double fps;
    @Option(names = "--duration", defaultValue = "40s", converter = DurationConverter.class,
            description = "Live play time per camera count (default ${DEFAULT-VALUE}).")
    Duration duration;
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
                    report.addAll(replay(stack, runDir));
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
        double drainedAfter;
        try (SinksService sinks = SinksService.start(SinksConfig.from(settings), kafka, metrics);
             RecognizerService recognizer = RecognizerService.start(settings, metrics)) {
            int enrolled = SamplePipeline.enrolWatchlist(settings, dir, recognizer);
            if (enrolled < SamplePipeline.WATCHLIST_SIZE) {
                throw new IllegalStateException("the recognizer holds " + enrolled + " of the sample watchlist's " + SamplePipeline.WATCHLIST_SIZE);
            }
            try (DetectorService detector = DetectorService.start(DetectorConfig.from(settings), kafka, metrics);
                 PipelineProgress progress = new PipelineProgress(kafka, List.of())) {
                start = Instant.now();
                try (SampleCamera camera = SampleCamera.start(video, cams, fps, settings, kafka, metrics)) {
                    Thread.sleep(play.toMillis());
                }
                progress.awaitDrained(Map.of(DetectorConfig.from(settings).groupId(), topics.frames(),
                        RecognizerConfig.from(settings).groupId(), topics.faces(),
                        SinksConfig.from(settings).groupId(), topics.sightings()), 600_000);
                drainedAfter = Duration.between(start, Instant.now()).toMillis() / 1000.0;
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
        double total = detectMs / Math.max(1, joined) + recogniseMs / Math.max(1, joined);
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "%d camera(s): offered %.1f frames/s; published %d frames, %d faces, %d sightings, %d alerts; "
                        + "all written %.1f s after start (%.2f frames/s, %.2f faces/s end to end)",
                cams, cams * fps, summary.frames(), summary.faces(), summary.sightings(), summary.alerts(), drainedAfter,
                summary.frames() / drainedAfter, summary.sightings() / drainedAfter));
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

    /** The recorded frames again: whole pipeline, then each heavy stage alone, each with fresh consumer groups. */
    private List<String> replay(EmbeddedStack stack, Path dir) throws Exception {
        KafkaSettings kafka = stack.kafkaSettings();
        Topics topics = Topics.defaults();
        var metrics = new SimpleMeterRegistry();
        long frames;
        long faces;
        try (PipelineProgress p = new PipelineProgress(kafka, List.of())) {
            frames = p.endOffset(topics.frames());
            faces = p.endOffset(topics.faces());
        }
        Settings base = settings(stack, dir);
        // The recognizer first: the detector alone re-publishes faces to vap.faces, which would grow its input.
        double recognizerAlone = timeAlone(kafka, "recognizer", faces, () -> {
            try {
                return RecognizerService.start(base.with(Map.of("recognizer.group.id", "bench-recognizer-alone")), metrics);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, "bench-recognizer-alone", topics.faces());
        // The whole pipeline on a copy of the frames under its own topics, so it reads exactly the recorded input.
        double pipeline = replayPipeline(stack, dir, base, frames, metrics);
        double detectorAlone = timeAlone(kafka, "detector", frames, () -> DetectorService.start(DetectorConfig.from(
                base.with(Map.of("detector.group.id", "bench-detector-alone"))), kafka, metrics), "bench-detector-alone", topics.frames());
        double facesPerFrame = (double) faces / Math.max(1, frames);
        double recognizerFrames = recognizerAlone / Math.max(1e-9, facesPerFrame);
        double slowest = Math.min(detectorAlone, recognizerFrames);
        double serial = 1 / (1 / detectorAlone + 1 / recognizerFrames);
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "replay of %d recorded frames (%d faces, %.2f faces/frame) from Kafka, fresh consumer groups:",
                frames, faces, facesPerFrame));
        out.add(String.format(Locale.ROOT, "    detector alone   %.2f frames/s", detectorAlone));
        out.add(String.format(Locale.ROOT, "    recognizer alone %.2f faces/s = %.2f frames/s", recognizerAlone, recognizerFrames));
        out.add(String.format(Locale.ROOT, "    whole pipeline   %.2f frames/s (detector + recognizer + database writers + alert stream at once)", pipeline));
        out.add(String.format(Locale.ROOT, "    pipeline / slowest stage alone = %.2f; pipeline / both stages back to back on the same cores "
                + "(1/(1/d+1/r) = %.2f frames/s) = %.2f", pipeline / slowest, serial, pipeline / serial));
        return out;
    }

    private double replayPipeline(EmbeddedStack stack, Path dir, Settings base, long frames,
                                  SimpleMeterRegistry metrics) throws Exception {
        KafkaSettings kafka = stack.kafkaSettings();
        Topics topics = Topics.withPrefix("replay.");
        TopicAdmin.ensureTopics(kafka, topics, 4, (short) 1);
        copyTopic(kafka, Topics.defaults().frames(), topics.frames());
        copyTopic(kafka, Topics.defaults().gallery(), topics.gallery());
        // Its own Streams application: the live runs' changelog topics have other partition counts.
        Settings s = base.with(Map.of("topics.prefix", "replay.", "watchlist.snapshot.dir", dir.resolve("replay-watchlist").toString(),
                "sinks.alerts.state.dir", dir.resolve("replay-streams").toString(),
                "sinks.alerts.application.id", "vap-alerts-replay"));
        try (PipelineProgress progress = new PipelineProgress(kafka, List.of());
             SinksService sinks = SinksService.start(SinksConfig.from(s), kafka, metrics);
             RecognizerService recognizer = RecognizerService.start(s, metrics)) {
            long t0 = System.nanoTime();
            try (DetectorService detector = DetectorService.start(DetectorConfig.from(s), kafka, metrics)) {
                // The detector re-publishes every face, so the recognizer's input grows as it goes: wait on all three.
                progress.awaitDrained(Map.of(DetectorConfig.from(s).groupId(), topics.frames()), 900_000);
                progress.awaitDrained(Map.of(RecognizerConfig.from(s).groupId(), topics.faces(),
                        SinksConfig.from(s).groupId(), topics.sightings()), 900_000);
            }
            return frames / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static double timeAlone(KafkaSettings kafka, String what, long records, java.util.function.Supplier<AutoCloseable> start,
                                    String group, String topic) throws Exception {
        try (PipelineProgress progress = new PipelineProgress(kafka, List.of())) {
            try (AutoCloseable service = start.get()) {
                long t0 = System.nanoTime(); // after the models are loaded
                if (!progress.awaitDrained(Map.of(group, topic), 900_000)) {
                    throw new IllegalStateException(what + " did not finish the replay in 15 minutes");
                }
                return records / ((System.nanoTime() - t0) / 1e9);
            }
        }
    }

    /** Copies a topic's records byte for byte (same keys, same schema ids) into another topic. */
    private static void copyTopic(KafkaSettings kafka, String from, String to) throws Exception {
        Map<String, Object> c = new HashMap<>(kafka.common());
        c.put("key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        c.put("value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        c.put("max.partition.fetch.bytes", 16 << 20);
        Map<String, Object> p = new HashMap<>(kafka.common());
        p.put("key.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        p.put("value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        p.put("max.request.size", 16 << 20);
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(c);
             var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(p)) {
            var parts = consumer.partitionsFor(from, Duration.ofSeconds(30)).stream()
                    .map(pi -> new org.apache.kafka.common.TopicPartition(from, pi.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            var end = consumer.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(to, r.key(), r.value()));
                }
            }
            producer.flush();
        }
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
