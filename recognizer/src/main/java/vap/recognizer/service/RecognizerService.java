package vap.recognizer.service;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.Topics;
import vap.core.observe.ServiceEndpoint;
import vap.core.service.Service;
import vap.core.serde.AvroCodec;
import vap.core.worker.BatchWorker;
import vap.core.worker.WorkerConfig;
import vap.core.worker.WorkerGroup;
import vap.messages.FaceCrop;
import vap.messages.Feedback;
import vap.messages.GalleryEntry;
import vap.models.InferenceDevice;
import vap.recognizer.FaceAnalyzer;
import vap.recognizer.embed.EmbedConfig;
import vap.recognizer.RecognizerConfig;
import vap.recognizer.faiss.FaissIndex;
import vap.recognizer.feedback.FeedbackFollower;
import vap.recognizer.track.TrackBook;
import vap.recognizer.watchlist.GalleryFollower;
import vap.recognizer.watchlist.Watchlist;
import vap.recognizer.watchlist.WatchlistConfig;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The recognizer: follows the gallery topic into its watchlist, waits until it has caught up, then runs
 * {@code recognizer.threads} batch workers on the faces topic (consumer group {@code recognizer.group.id}).
 *
 * <pre>
 *   vap.faces [cameraId] --&gt; per track: embed the better crops + age + search --&gt; vap.sightings [cameraId] (per embedded crop)
 *                                                   fused decision, once per track --&gt; vap.matches [identityId]
 *                                                               track closed --&gt; vap.appearances [cameraId]
 *   vap.gallery [identityId, compacted] --&gt; watchlist (every replica reads all of it)
 *   vap.feedback [feedbackId, compacted] --&gt; the watchlist's negative feedback (every replica reads all of it)
 * </pre>
 */
public final class RecognizerService implements Service {
    private static final Logger log = LoggerFactory.getLogger(RecognizerService.class);

    private final GalleryFollower gallery;
    private final FeedbackFollower feedback; // null when the cluster has no feedback topic yet
    private final List<FaceAnalyzer> analyzers = new ArrayList<>();
    private final WorkerGroup workers;

    private RecognizerService(GalleryFollower gallery, FeedbackFollower feedback, List<FaceAnalyzer> analyzers,
                              WorkerGroup workers) {
        this.gallery = gallery;
        this.feedback = feedback;
        this.analyzers.addAll(analyzers);
        this.workers = workers;
    }

    /** The entry point every service has (ServiceRunner's). */
    public static RecognizerService start(Settings settings, MeterRegistry metrics) throws InterruptedException {
        RecognizerConfig config = RecognizerConfig.from(settings);
        WatchlistConfig watchlistConfig = WatchlistConfig.from(settings);
        KafkaSettings kafka = KafkaSettings.from(settings);
        Topics topics = Topics.from(settings);
        if (config.faissThreads() > 0) {
            FaissIndex.setThreads(config.faissThreads());
        }
        // Missing topics or a deleting gallery (it would forget enrolled people): refuse, saying what to run.
        vap.core.kafka.TopicCheck.atStart(settings, vap.core.kafka.TopicCheck.Needs.of("recognizer", topics.faces(),
                topics.gallery(), topics.sightings(), topics.matches(), topics.appearances())
                .withDeadLetters(topics.faces()).optionally(topics.feedback()));
        var registry = kafka.registryClient();
        GalleryFollower gallery = new GalleryFollower(watchlistConfig, kafka, topics.gallery(),
                new AvroCodec<>(registry, GalleryEntry.class), "recognizer-gallery-" + Long.toHexString(System.nanoTime()));
        List<FaceAnalyzer> analyzers = new ArrayList<>();
        FeedbackFollower feedback = null;
        try {
            gallery.awaitCaughtUp(config.galleryTimeout());
            if (FeedbackFollower.topicExists(kafka, topics.feedback())) {
                feedback = new FeedbackFollower(gallery.watchlist(), kafka, topics.feedback(),
                        new AvroCodec<>(registry, Feedback.class), "recognizer-feedback-" + Long.toHexString(System.nanoTime()));
                feedback.awaitCaughtUp(config.galleryTimeout());
            } else {
                log.warn("recognizer: no feedback topic {}; negative feedback is not applied (run vap topics to create it)",
                        topics.feedback());
            }
            // Read once when the engine starts: only effective if no model was loaded earlier in this JVM.
            InferenceDevice.requestThreads(config.intraOpThreads());
            for (int i = 0; i < config.threads(); i++) {
                analyzers.add(new FaceAnalyzer(config.device(), config.modelBatch(), EmbedConfig.from(settings)));
            }
            Watchlist watchlist = gallery.watchlist();
            WorkerGroup workers = WorkerGroup.start(config.threads(), i -> new BatchWorker<>(
                    WorkerConfig.of("recognizer", config.groupId(), topics.faces(), config.batchSize(), kafka)
                            .withStallTimeout(WorkerConfig.stallTimeout(settings, "recognizer")),
                    new AvroCodec<>(registry, FaceCrop.class),
                    new CropRecognizer(analyzers.get(i), watchlist, new TrackBook(config.track()),
                            new CropRecognizer.Topics(topics.sightings(), topics.matches(), topics.appearances()),
                            Clock.systemUTC(), metrics),
                    metrics));
            metrics.gauge("vap.recognizer.watchlist.identities", watchlist, Watchlist::size);
            log.info("recognizer: {} worker(s) on {} with {} identities (threshold {}, device {})",
                    config.threads(), topics.faces(), watchlist.size(),
                    watchlist.matchThreshold().describe(watchlist.size()), config.device());
            return new RecognizerService(gallery, feedback, analyzers, workers);
        } catch (TimeoutException e) {
            analyzers.forEach(FaceAnalyzer::close);
            closeQuietly(feedback);
            gallery.close();
            throw new IllegalStateException("recognizer: " + e.getMessage() + "; is Kafka reachable? "
                    + "(raise recognizer.gallery.timeout for a very large gallery)", e);
        } catch (RuntimeException | InterruptedException e) {
            analyzers.forEach(FaceAnalyzer::close);
            closeQuietly(feedback);
            gallery.close();
            throw e;
        }
    }

    public Watchlist watchlist() {
        return gallery.watchlist();
    }

    public GalleryFollower gallery() {
        return gallery;
    }

    @Override
    public ServiceEndpoint.Health health() {
        return healthy() ? ServiceEndpoint.Health.up(watchlist().size() + " identities")
                : ServiceEndpoint.Health.down(workers.describe());
    }

    public boolean healthy() {
        return workers.healthy();
    }

    /** Stops the workers (leaving the group), then the gallery follower, which writes the final snapshot. */
    @Override
    public void close() {
        try {
            workers.close();
        } finally {
            analyzers.forEach(FaceAnalyzer::close);
            closeQuietly(feedback);
            gallery.close();
        }
    }

    private static void closeQuietly(FeedbackFollower f) {
        if (f != null) {
            f.close();
        }
    }
}
