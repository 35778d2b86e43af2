package vap.faults;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import vap.core.config.Settings;
import vap.core.kafka.Topics;
import vap.demo.PipelineProgress;
import vap.demo.SampleCamera;
import vap.detector.service.DetectorConfig;
import vap.detector.service.DetectorService;
import vap.recognizer.service.RecognizerService;
import vap.sinks.SinksConfig;
import vap.sinks.SinksService;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real services of one fault test on a {@link FaultStack}: a looped {@link FaultVideo} camera over RTSP through
 * ingest, and sinks, recognizer and detector in this JVM (or in worker processes, see {@link WorkerProcess}).
 */
final class FaultPipeline implements AutoCloseable {
    static final double FPS = 3.0;

    private final FaultStack stack;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final Path video;
    private SampleCamera camera;

    FaultPipeline(FaultStack stack, Path work) {
        this.stack = stack;
        settings.put("kafka.bootstrap.servers", stack.kafkaSettings().bootstrapServers());
        settings.put("registry.url", stack.kafkaSettings().registryUrl());
        settings.put("sinks.jdbc.url", stack.postgres().jdbcUrl());
        settings.put("sinks.jdbc.password", stack.postgres().password());
        settings.put("sinks.alerts.state.dir", work.resolve("streams").toString());
        settings.put("watchlist.snapshot.dir", work.resolve("watchlist").toString());
        settings.put("detector.min.face.size", "40");
        // The last track closes 3 s after the camera stops (wall clock), not the default 10 s.
        settings.put("recognizer.track.idle.close.after", "3s");
        video = FaultVideo.build(work.resolve("camera.mp4"));
    }

    Map<String, String> settings() {
        return settings;
    }

    Settings typedSettings() {
        return Settings.of(settings);
    }

    SinksService startSinks() {
        return keep(SinksService.start(SinksConfig.from(typedSettings()), stack.kafkaSettings(), metrics));
    }

    DetectorService startDetector() {
        return keep(DetectorService.start(DetectorConfig.from(typedSettings()), stack.kafkaSettings(), metrics));
    }

    RecognizerService startRecognizer() throws InterruptedException {
        return keep(RecognizerService.start(typedSettings(), metrics));
    }

    /** Sinks, recognizer, detector, then one camera: downstream first, as an operator starts them. */
    void startAll() throws InterruptedException {
        startSinks();
        startRecognizer();
        startDetector();
        startCamera();
    }

    void startCamera() {
        startCamera(1);
    }

    /** Cameras camera-1..n show the same video; with two, both partitions of the frames topic carry frames. */
    void startCamera(int cameras) {
        camera = SampleCamera.start(video, cameras, FPS, typedSettings(), stack.kafkaSettings(), metrics);
    }

    /** Stops the camera, waits until every worker group has read to the end and the last tracks' rows are written. */
    void stopCameraAndDrain() throws InterruptedException {
        camera.close();
        camera = null;
        Topics topics = Topics.defaults();
        try (PipelineProgress progress = new PipelineProgress(stack.kafkaSettings(), List.of())) {
            assertTrue(progress.awaitDrained(Map.of("vap-detector", topics.frames(), "vap-recognizer", topics.faces(),
                    "vap-sinks-db", topics.sightings()), 180_000), "pipeline drained");
        }
        Thread.sleep(8_000);
        try (PipelineProgress progress = new PipelineProgress(stack.kafkaSettings(), List.of())) {
            assertTrue(progress.awaitDrained(Map.of("vap-sinks-db", topics.appearances()), 60_000), "appearances drained");
        }
    }

    private <T extends AutoCloseable> T keep(T service) {
        running.push(service);
        return service;
    }

    @Override
    public void close() {
        if (camera != null) {
            camera.close();
        }
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                System.err.println("closing: " + e);
            }
        }
    }
}
