package vap.detector.service;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.observe.ServiceEndpoint;
import vap.core.service.Service;
import vap.core.serde.AvroCodec;
import vap.core.worker.BatchWorker;
import vap.core.worker.WorkerConfig;
import vap.core.worker.WorkerGroup;
import vap.detector.mtcnn.MtcnnDetector;
import vap.detector.quality.FaceQualityMeter;
import vap.detector.track.FaceTracker;
import vap.messages.Frame;
import vap.models.InferenceDevice;

import java.util.stream.Collectors;

/**
 * The detector service: {@code threads} batch workers (one Kafka consumer each, same group) read frames,
 * share one MTCNN detector, and publish face crops. Offsets are committed only after Kafka acknowledged every
 * crop and dead letter of a batch (core's BatchWorker). More replicas of this service, or more threads, share
 * the frames topic's partitions.
 */
public final class DetectorService implements Service {
    private static final Logger log = LoggerFactory.getLogger(DetectorService.class);

    private final MtcnnDetector detector;
    private final FaceTracker tracker;
    private final WorkerGroup workers;

    private DetectorService(DetectorConfig config, KafkaSettings kafka, MeterRegistry metrics) {
        // Read once when the engine starts: only effective if no model was loaded earlier in this JVM.
        InferenceDevice.requestThreads(config.intraOpThreads());
        // Stage timers on /metrics (vap.detector.mtcnn.stage{stage=...}).
        detector = new MtcnnDetector(config.mtcnn(), metrics);
        // One tracker per process: the workers share it, so a partition moving between them keeps its tracks.
        tracker = new FaceTracker(config.track(), metrics);
        FaceCropExtractor extractor = new FaceCropExtractor(detector, tracker,
                new MotionGate(config.motion(), tracker, metrics), new FaceQualityMeter(config.quality()),
                config.topics().faces(), config.jpegQuality(), config.maxImagePixels(), metrics);
        var registry = kafka.registryClient();
        WorkerConfig wc = WorkerConfig.of("detector", config.groupId(), config.topics().frames(), config.batchSize(),
                kafka).withStallTimeout(config.stallTimeout());
        try {
            workers = WorkerGroup.start(config.threads(),
                    i -> new BatchWorker<>(wc, new AvroCodec<>(registry, Frame.class), extractor, metrics));
        } catch (RuntimeException e) {
            detector.close();
            throw e;
        }
        log.info("detector: {} worker(s) on {} -> {}, batch {}, device {}, min face {} px; tracks {}/... close after {}; {}",
                config.threads(), config.topics().frames(), config.topics().faces(), config.batchSize(),
                config.mtcnn().device(), config.mtcnn().minFaceSize(), tracker.instance(), config.track().closeAfter(),
                config.motion().enabled() ? "static frames skipped below motion " + config.motion().threshold()
                        + " (open tracks every " + config.motion().idleInterval() + ", any camera every "
                        + config.motion().keyframeInterval() + ")" : "motion gating off");
    }

    public static DetectorService start(DetectorConfig config, KafkaSettings kafka, MeterRegistry metrics) {
        return new DetectorService(config, kafka, metrics);
    }

    /** The entry point every service has (ServiceRunner's). */
    public static DetectorService start(Settings settings, MeterRegistry metrics) {
        DetectorConfig config = DetectorConfig.from(settings);
        vap.core.kafka.TopicCheck.atStart(settings, vap.core.kafka.TopicCheck.Needs.of("detector",
                config.topics().frames(), config.topics().faces()).withDeadLetters(config.topics().frames()));
        return start(config, KafkaSettings.from(settings), metrics);
    }

    @Override
    public ServiceEndpoint.Health health() {
        return healthy() ? ServiceEndpoint.Health.up(describe()) : ServiceEndpoint.Health.down(describe());
    }

    /** The tracker of this replica (its {@link FaceTracker#instance()} is in every track id it opens). */
    public FaceTracker tracker() {
        return tracker;
    }

    public boolean healthy() {
        return workers.healthy();
    }

    public String describe() {
        return workers.workers().stream().map(w -> w.state().name()).collect(Collectors.joining(" "));
    }

    @Override
    public void close() {
        try {
            workers.close();
        } finally {
            detector.close();
        }
    }
}
