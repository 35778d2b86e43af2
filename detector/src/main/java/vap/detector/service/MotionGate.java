package vap.detector.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.detector.track.FaceTracker;
import vap.messages.Frame;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decides per frame whether MTCNN runs on it: frames of a static scene (ingest's motion measure below the
 * threshold) are skipped, except every {@code idleInterval} while the camera has an open track (a face that stopped
 * moving keeps being seen, so its track stays open) and every {@code keyframeInterval} in any case. Frames without
 * a motion measure (older producers) are always detected. Intervals are in capture time, like the tracker's.
 * Thread-safe: a camera's frames come from one partition, so its decisions are serialised in practice, and
 * {@code compute} keeps them consistent across a rebalance.
 */
public final class MotionGate {
    private static final Logger log = LoggerFactory.getLogger(MotionGate.class);
    private static final long SUMMARY_EVERY_NANOS = Duration.ofSeconds(60).toNanos();

    /** Why a frame was detected, or that it was skipped. */
    public enum Decision {
        SKIPPED, MOTION, OPEN_TRACK, KEYFRAME, UNMEASURED, GATING_OFF;

        public boolean detect() {
            return this != SKIPPED;
        }

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MotionGateConfig config;
    private final FaceTracker tracker;
    private final Map<String, Long> lastDetectedMs = new ConcurrentHashMap<>();
    private final Map<Decision, Counter> counters = new EnumMap<>(Decision.class);
    private final Map<Decision, LongAdder> sinceSummary = new EnumMap<>(Decision.class);
    private volatile long lastSummaryNanos = System.nanoTime();

    public MotionGate(MotionGateConfig config, FaceTracker tracker, MeterRegistry metrics) {
        this.config = config;
        this.tracker = tracker;
        for (Decision d : Decision.values()) {
            counters.put(d, metrics.counter("vap.detector.motion.frames", Tags.of("service", "detector", "decision", d.tag())));
            sinceSummary.put(d, new LongAdder());
        }
    }

    public MotionGateConfig config() {
        return config;
    }

    /** The decision for {@code frame}; a frame to detect becomes its camera's last detected one. */
    public Decision decide(Frame frame) {
        Decision d = config.enabled() ? gate(frame) : Decision.GATING_OFF;
        counters.get(d).increment();
        sinceSummary.get(d).increment();
        summarise();
        return d;
    }

    private Decision gate(Frame frame) {
        String camera = frame.getCameraId().toString();
        long captured = frame.getCaptureTimestamp().toEpochMilli();
        Decision[] out = new Decision[1];
        lastDetectedMs.compute(camera, (c, last) -> {
            out[0] = decide(c, frame.getMotion(), captured, last);
            return out[0].detect() ? Long.valueOf(captured) : last;
        });
        return out[0];
    }

    private Decision decide(String camera, Float motion, long captured, Long last) {
        if (motion == null) {
            return Decision.UNMEASURED;
        }
        if (motion >= config.threshold()) {
            return Decision.MOTION;
        }
        // No earlier detection, or capture time went back (a camera's clock, a replay), or this very frame was
        // detected before (a re-read batch must publish its faces again): start afresh from this frame.
        if (last == null || captured <= last) {
            return Decision.KEYFRAME;
        }
        long since = captured - last;
        if (since >= config.keyframeInterval().toMillis()) {
            return Decision.KEYFRAME;
        }
        if (since >= config.idleInterval().toMillis() && tracker.openTracks(camera) > 0) {
            return Decision.OPEN_TRACK;
        }
        return Decision.SKIPPED;
    }

    /** One log line a minute: how much the gate saved, and why the other frames were detected. */
    private void summarise() {
        long now = System.nanoTime();
        if (now - lastSummaryNanos < SUMMARY_EVERY_NANOS) {
            return;
        }
        synchronized (this) {
            if (now - lastSummaryNanos < SUMMARY_EVERY_NANOS) {
                return;
            }
            lastSummaryNanos = now;
            Map<Decision, Long> n = new EnumMap<>(Decision.class);
            long total = 0;
            for (Decision d : Decision.values()) {
                long v = sinceSummary.get(d).sumThenReset();
                n.put(d, v);
                total += v;
            }
            if (total > 0) {
                log.info("motion gate, last minute: {} of {} frames skipped as static ({}%); detected for motion {}, "
                                + "open track {}, keyframe {}, unmeasured {}, gating off {}",
                        n.get(Decision.SKIPPED), total, Math.round(100.0 * n.get(Decision.SKIPPED) / total),
                        n.get(Decision.MOTION), n.get(Decision.OPEN_TRACK), n.get(Decision.KEYFRAME),
                        n.get(Decision.UNMEASURED), n.get(Decision.GATING_OFF));
            }
        }
    }
}
