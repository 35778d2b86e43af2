package vap.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.core.config.ConfigException;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.observe.ServiceEndpoint;
import vap.core.service.Service;
import vap.core.registry.SchemaRegistryException;
import vap.core.serde.AvroCodec;
import vap.ingest.camera.CameraFile;
import vap.ingest.camera.CameraSource;
import vap.ingest.camera.Redactor;
import vap.ingest.decode.FfmpegLog;
import vap.ingest.health.CameraHealth;
import vap.ingest.health.CameraState;
import vap.ingest.publish.FramePublisher;
import vap.messages.Frame;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The ingest service: every registered camera decoded on its own thread and its sampled frames published as
 * JPEG {@link Frame} records to the frames topic, keyed by camera id. The Java API the launcher uses:
 * <pre>{@code
 * try (IngestService ingest = new IngestService(IngestConfig.from(settings), KafkaSettings.from(settings), metrics)
 *         .start()) {
 *     System.out.println(ingest.status().render());
 * }
 * }</pre>
 * Cameras come from the configuration's camera file (re-read every {@code ingest.cameras.reload.interval}
 * when it changed: added cameras start, removed ones stop, changed ones restart, the others are untouched),
 * from {@code ingest.camera.<id>.*} keys, and from the list given to the constructor. A camera whose entry is
 * wrong shows as {@code failed_configuration} in {@link #status()}; it never stops the others.
 * Over 300 lines because reloading, the watchdog and the status view share one camera table and its lock.
 */
public final class IngestService implements Service {
    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    private record Entry(CameraSource source, String invalid, CameraHealth health, CameraWorker worker) {
    }

    private final IngestConfig config;
    private final KafkaSettings kafka;
    private final MeterRegistry metrics;
    private final List<CameraSource> fixedCameras;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Entry> cameras = new LinkedHashMap<>();
    /**
     * What status() and the watchdog read, so they never wait for a reload that is stopping cameras; replaced
     * once a reload is complete, so a restarted camera never disappears from the status in between.
     */
    private volatile List<CameraHealth> view = List.of();
    private ScheduledExecutorService scheduler;
    private FramePublisher publisher;
    private String lastFileText;
    private volatile String registryProblem;
    private volatile boolean closed;

    public IngestService(IngestConfig config, KafkaSettings kafka, MeterRegistry metrics) {
        this(config, kafka, metrics, List.of());
    }

    /** {@code fixedCameras} run in addition to those of the configuration; they are never reloaded. */
    public IngestService(IngestConfig config, KafkaSettings kafka, MeterRegistry metrics, List<CameraSource> fixedCameras) {
        this.config = Objects.requireNonNull(config);
        this.kafka = Objects.requireNonNull(kafka);
        this.metrics = metrics != null ? metrics : new SimpleMeterRegistry();
        this.fixedCameras = List.copyOf(fixedCameras);
    }

    /**
     * Connects to the schema registry and Kafka and starts every camera. Fails fast, with a message saying
     * what to fix, if the registry is unreachable or the camera file cannot be read; a camera that cannot be
     * reached does not fail the start (it backs off and retries).
     */
    public synchronized IngestService start() {
        if (publisher != null) {
            throw new IllegalStateException("ingest already started");
        }
        FfmpegLog.install();
        String topic = config.topics().frames();
        AvroCodec<Frame> codec = new AvroCodec<>(kafka.registryClient(), Frame.class);
        try {
            // Registers the Frame schema now: a registry problem shows at start, not as dropped frames.
            codec.encode(topic, Frame.newBuilder().setCameraId("-").setSequence(0).setCaptureTimestamp(Instant.EPOCH)
                    .setWidth(0).setHeight(0).setJpeg(ByteBuffer.allocate(0)).build());
        } catch (SchemaRegistryException e) {
            throw new IllegalStateException("ingest cannot register the Frame schema: " + Redactor.urlsOnly()
                    .redact(e.getMessage()), e);
        }
        int limit = recordLimit(topic);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config.producer().producerProps(kafka, config.clientId()));
        publisher = new FramePublisher(producer, codec, topic, limit, config.maxInFlightPerCamera());
        applyCameras(readCameras());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-watchdog");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::watchdog, 1, 1, TimeUnit.SECONDS);
        if (config.camerasFile() != null) {
            long every = Math.max(100, config.reloadInterval().toMillis());
            scheduler.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
        }
        log.info("ingest started: {} to {} (records up to {} bytes)", status().summary(), topic, limit);
        return this;
    }

    /** Every camera's state and counters, now. */
    /** The entry point every service has (ServiceRunner's): the configured cameras, started. */
    public static IngestService start(Settings settings, MeterRegistry metrics) {
        IngestConfig config = IngestConfig.from(settings);
        vap.core.kafka.TopicCheck.atStart(settings, vap.core.kafka.TopicCheck.Needs.of("ingest", config.topics().frames()));
        return new IngestService(config, KafkaSettings.from(settings), metrics).start();
    }

    /** Up while it runs: a camera that is down is a camera problem (see the status), not a reason to restart ingest. */
    @Override
    public ServiceEndpoint.Health health() {
        return ServiceEndpoint.Health.up(status().summary());
    }

    @Override
    public String report() {
        return status().render();
    }

    /** 1 when no camera could even be configured (every one failed_configuration): the run did nothing. */
    @Override
    public int exitCode() {
        return status().cameras().stream().anyMatch(c -> c.state() != CameraState.FAILED_CONFIGURATION) ? 0 : 1;
    }

    public IngestStatus status() {
        List<CameraStatus> out = new ArrayList<>();
        view.forEach(h -> out.add(h.snapshot()));
        return new IngestStatus(clock.instant(), out, registryProblem);
    }

    /** Re-reads the camera file now (it is also re-read on its own when it changes). */
    public synchronized void reload() {
        if (closed) {
            return;
        }
        try {
            applyCameras(readCameras());
            registryProblem = null;
        } catch (ConfigException e) {
            registryProblem = e.getMessage() + " (the cameras keep running as they were)";
            log.error("camera file not applied: {}", registryProblem);
        }
    }

    public IngestConfig config() {
        return config;
    }

    private void reloadIfChanged() {
        try {
            String text = Files.exists(config.camerasFile()) ? Files.readString(config.camerasFile()) : null;
            if (!Objects.equals(text, lastFileText)) {
                log.info("camera file {} changed: applying it", config.camerasFile());
                reload();
            }
        } catch (IOException | RuntimeException e) {
            registryProblem = "cannot read " + config.camerasFile() + ": " + e.getMessage();
        }
    }

    private CameraFile.Parsed readCameras() {
        Map<String, String> invalid = new LinkedHashMap<>();
        Map<String, CameraSource> valid = new LinkedHashMap<>();
        fixedCameras.forEach(c -> valid.put(c.id(), c));
        CameraFile.Parsed inline = CameraFile.parse(config.inlineCameras(), config.cameraDefaults(), System::getenv);
        merge(inline, valid, invalid, "ingest.camera.* keys");
        if (config.camerasFile() != null) {
            CameraFile.Parsed fromFile = CameraFile.read(config.camerasFile(), config.cameraDefaults());
            try {
                lastFileText = Files.readString(config.camerasFile());
            } catch (IOException e) {
                lastFileText = null;
            }
            merge(fromFile, valid, invalid, config.camerasFile().toString());
        }
        return new CameraFile.Parsed(new ArrayList<>(valid.values()), invalid);
    }

    private static void merge(CameraFile.Parsed p, Map<String, CameraSource> valid, Map<String, String> invalid,
                              String where) {
        for (CameraSource c : p.cameras()) {
            if (valid.containsKey(c.id()) || invalid.containsKey(c.id())) {
                invalid.put(c.id(), "camera " + c.id() + " is defined twice (again in " + where + ")");
                valid.remove(c.id());
            } else {
                valid.put(c.id(), c);
            }
        }
        invalid.putAll(p.invalid());
    }

    /** Starts, stops and restarts cameras so that the running set is {@code wanted}. */
    private synchronized void applyCameras(CameraFile.Parsed wanted) {
        Map<String, CameraSource> valid = new LinkedHashMap<>();
        wanted.cameras().forEach(c -> valid.put(c.id(), c));
        List<Entry> stopping = new ArrayList<>();
        for (var it = cameras.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Entry cur = e.getValue();
            CameraSource next = valid.get(e.getKey());
            String nextInvalid = wanted.invalid().get(e.getKey());
            boolean same = next != null ? next.equals(cur.source())
                    : nextInvalid != null && nextInvalid.equals(cur.invalid());
            if (!same) {
                stopping.add(cur);
                it.remove();
            }
        }
        stopping.forEach(e -> {
            if (e.worker() != null) {
                e.worker().requestStop();
            }
        });
        for (Entry e : stopping) {
            if (e.worker() != null && !e.worker().awaitStop(config.socketTimeout().plusSeconds(5))) {
                log.warn("camera {}: decoder thread still busy after stop; it ends on its own", e.source().id());
            }
            e.health().close();
        }
        for (CameraSource c : valid.values()) {
            if (!cameras.containsKey(c.id())) {
                CameraHealth h = new CameraHealth(c.id(), c.displayUrl(), c.fps(), metrics, clock);
                CameraWorker w = new CameraWorker(c, config, publisher, h, clock);
                cameras.put(c.id(), new Entry(c, null, h, w));
                w.start();
            }
        }
        wanted.invalid().forEach((id, why) -> {
            if (!cameras.containsKey(id)) {
                CameraHealth h = new CameraHealth(id, "-", 0, metrics, clock);
                h.moveTo(CameraState.FAILED_CONFIGURATION, why);
                cameras.put(id, new Entry(null, why, h, null));
            }
        });
        publishView();
    }

    private void publishView() {
        view = cameras.values().stream().map(Entry::health).toList();
    }

    private void watchdog() {
        long now = System.nanoTime();
        view.forEach(h -> h.checkStall(now, config.stallTimeout()));
    }

    /** The largest record the frames topic takes: the producer's limit, or the topic's if that is smaller. */
    private int recordLimit(String topic) {
        int limit = config.producer().maxRequestSize();
        try (Admin admin = Admin.create(kafka.common())) {
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config c = admin.describeConfigs(List.of(r)).all().get(15, TimeUnit.SECONDS).get(r);
            ConfigEntry e = c == null ? null : c.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (e != null && e.value() != null) {
                int topicLimit = Integer.parseInt(e.value());
                if (topicLimit < limit) {
                    log.warn("topic {} takes records up to {} bytes (max.message.bytes), less than "
                            + "ingest.kafka.max.request.size {}: larger frames will be dropped as too_large",
                            topic, topicLimit, limit);
                    limit = topicLimit;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                log.warn("topic {} does not exist yet; the broker creates it on the first frame if "
                        + "auto.create.topics.enable is on (or create it: vap topics)", topic);
            } else {
                log.warn("cannot read the configuration of topic {}: {}", topic, e.getCause().getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + kafka.bootstrapServers() + " did not answer within 15 s "
                    + "(kafka.bootstrap.servers)", e);
        }
        return limit;
    }

    /** Stops every camera, then sends what is still queued and closes the producer. */
    @Override
    public void close() {
        List<Entry> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(cameras.values());
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        all.forEach(e -> {
            if (e.worker() != null) {
                e.worker().requestStop();
            }
        });
        all.forEach(e -> {
            if (e.worker() != null) {
                e.worker().awaitStop(config.socketTimeout().plusSeconds(5));
            }
        });
        if (publisher != null) {
            publisher.close(Duration.ofSeconds(10));
        }
        all.forEach(e -> e.health().close());
        log.info("ingest stopped");
    }
}
