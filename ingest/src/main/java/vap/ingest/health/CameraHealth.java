package vap.ingest.health;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.ingest.CameraStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One camera's state machine and counters, shared by its decoder thread (which moves it), the publisher
 * (acknowledgements, drops) and readers (status, metrics). Every transition is logged once, with a message
 * that has already been redacted; nothing here logs per frame.
 *
 * <p>Metrics (tag {@code camera}): {@code vap.ingest.camera.state} (1 for the current {@code state} tag, 0 for
 * the others), {@code vap.ingest.frames.decoded}, {@code vap.ingest.frames.published},
 * {@code vap.ingest.frames.dropped} (tag {@code reason}: backpressure, too_large, send_failed),
 * {@code vap.ingest.reconnects}, {@code vap.ingest.frame.bytes} and {@code vap.ingest.publish.latency}
 * (capture to acknowledgement).
 */
public final class CameraHealth implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CameraHealth.class);

    /** Why a sampled frame did not reach Kafka. */
    public enum DropReason {
        /** Kafka could not keep up: the camera's in-flight frames were at their limit. */
        BACKPRESSURE,
        /** The encoded frame is larger than a Kafka request may be. */
        TOO_LARGE,
        /** Kafka refused the frame after its retries. */
        SEND_FAILED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String cameraId;
    private final String displayUrl;
    private final double targetFps;
    private final Clock clock;
    private volatile CameraState state = CameraState.CONNECTING;
    private volatile Instant since;
    private volatile String detail = "starting";
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile long lastFrameNanos = System.nanoTime();
    private volatile int width;
    private volatile int height;
    private final AtomicLong decoded = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final Map<DropReason, AtomicLong> dropped = new EnumMap<>(DropReason.class);
    private final List<Meter> meters = new ArrayList<>();
    private final MeterRegistry registry;
    private final DistributionSummary frameBytes;
    private final Timer latency;

    public CameraHealth(String cameraId, String displayUrl, double targetFps, MeterRegistry registry, Clock clock) {
        this.cameraId = cameraId;
        this.displayUrl = displayUrl;
        this.targetFps = targetFps;
        this.registry = registry;
        this.clock = clock;
        this.since = clock.instant();
        for (DropReason r : DropReason.values()) {
            dropped.put(r, new AtomicLong());
        }
        Tags tags = Tags.of("camera", cameraId);
        for (CameraState s : CameraState.values()) {
            meters.add(Gauge.builder("vap.ingest.camera.state", this, h -> h.state == s ? 1 : 0)
                    .tags(tags.and("state", s.label()))
                    .description("1 for the camera's current state, 0 for the others").register(registry));
        }
        meters.add(FunctionCounter.builder("vap.ingest.frames.decoded", decoded, AtomicLong::get).tags(tags)
                .description("frames decoded (every frame the codec produced, sampled or not)").register(registry));
        meters.add(FunctionCounter.builder("vap.ingest.frames.published", published, AtomicLong::get).tags(tags)
                .description("frames acknowledged by Kafka").register(registry));
        for (DropReason r : DropReason.values()) {
            meters.add(FunctionCounter.builder("vap.ingest.frames.dropped", dropped.get(r), AtomicLong::get)
                    .tags(tags.and("reason", r.label()))
                    .description("sampled frames that did not reach Kafka").register(registry));
        }
        meters.add(FunctionCounter.builder("vap.ingest.reconnects", reconnects, AtomicLong::get).tags(tags)
                .description("connection attempts after a failure").register(registry));
        frameBytes = DistributionSummary.builder("vap.ingest.frame.bytes").tags(tags).baseUnit("bytes")
                .description("JPEG size of published frames").register(registry);
        latency = Timer.builder("vap.ingest.publish.latency").tags(tags)
                .description("capture to Kafka acknowledgement").register(registry);
        meters.add(frameBytes);
        meters.add(latency);
    }

    public String cameraId() {
        return cameraId;
    }

    public CameraState state() {
        return state;
    }

    /**
     * Moves to {@code next}; {@code why} (already redacted) is logged and shown in status. A transition the
     * state machine does not allow is a bug and throws.
     */
    public synchronized void moveTo(CameraState next, String why) {
        CameraState prev = state;
        if (prev == next) {
            detail = why;
            return;
        }
        if (!prev.canMoveTo(next)) {
            throw new IllegalStateException("camera " + cameraId + ": no transition from " + prev + " to " + next);
        }
        state = next;
        since = clock.instant();
        detail = why;
        if (next == CameraState.BACKING_OFF || next == CameraState.FAILED_CONFIGURATION || next == CameraState.STALLED) {
            lastError = why;
            lastErrorAt = since;
            log.warn("camera {}: {} -> {}: {}", cameraId, prev.label(), next.label(), why);
        } else {
            log.info("camera {}: {} -> {}: {}", cameraId, prev.label(), next.label(), why);
        }
    }

    /** Called by the watchdog: a streaming camera without a frame for {@code stallTimeout} is stalled. */
    public synchronized boolean checkStall(long nowNanos, Duration stallTimeout) {
        if (state == CameraState.CONNECTING && !detail.startsWith("still connecting")
                && Duration.between(since, clock.instant()).compareTo(stallTimeout) > 0) {
            // Each socket operation is bounded, but a server that answers and then sends no video can hold the
            // handshake open; the status should say so rather than show a plain "connecting".
            detail = "still connecting after " + Duration.between(since, clock.instant()).toSeconds()
                    + " s: the source accepts the connection but sends no video yet";
            return false;
        }
        long silent = nowNanos - lastFrameNanos;
        if (state == CameraState.STREAMING && silent > stallTimeout.toNanos()) {
            moveTo(CameraState.STALLED, "no frame for " + TimeUnit.NANOSECONDS.toSeconds(silent)
                    + " s (ingest.stall.timeout " + stallTimeout.toSeconds() + " s): the camera went silent");
            return true;
        }
        return false;
    }

    public void frameDecoded(int w, int h) {
        decoded.incrementAndGet();
        lastFrameNanos = System.nanoTime();
        width = w;
        height = h;
    }

    public void reconnecting() {
        reconnects.incrementAndGet();
    }

    public void published(int jpegBytes, Instant captured) {
        published.incrementAndGet();
        frameBytes.record(jpegBytes);
        latency.record(Duration.between(captured, clock.instant()));
    }

    public void dropped(DropReason reason) {
        dropped.get(reason).incrementAndGet();
    }

    /** Records a problem that does not change the state (a frame too large, a send that failed). */
    public void problem(String why) {
        lastError = why;
        lastErrorAt = clock.instant();
    }

    public long decodedCount() {
        return decoded.get();
    }

    public long publishedCount() {
        return published.get();
    }

    public long droppedCount(DropReason r) {
        return dropped.get(r).get();
    }

    public long reconnectCount() {
        return reconnects.get();
    }

    public CameraStatus snapshot() {
        Map<String, Long> drops = new java.util.LinkedHashMap<>();
        dropped.forEach((r, n) -> drops.put(r.label(), n.get()));
        return new CameraStatus(cameraId, displayUrl, state, since, detail, lastError, lastErrorAt, targetFps,
                width, height, decoded.get(), published.get(), drops, reconnects.get());
    }

    /** Removes this camera's meters (the camera left the registry). */
    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
