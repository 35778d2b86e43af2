package vap.detector.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import vap.detector.service.MotionGate.Decision;
import vap.detector.track.FaceTracker;
import vap.detector.track.TrackerConfig;
import vap.messages.Frame;
import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The gate's decisions frame by frame, with a real tracker deciding whether a camera has an open track. */
class MotionGateTest {
    private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final FaceTracker tracker = new FaceTracker(TrackerConfig.defaults(), metrics);
    private final MotionGate gate = new MotionGate(MotionGateConfig.defaults(), tracker, metrics);

    @Test
    void aStaticCameraIsDetectedOnlyAtKeyframesAndAFrameWithoutAMeasureAlways() {
        assertEquals(Decision.KEYFRAME, gate.decide(frame("a", 0, 0f)), "nothing detected yet");
        assertEquals(Decision.SKIPPED, gate.decide(frame("a", 200, 0.001f)), "below 0.002");
        assertEquals(Decision.SKIPPED, gate.decide(frame("a", 4800, 0f)));
        assertEquals(Decision.KEYFRAME, gate.decide(frame("a", 5000, 0f)));
        assertEquals(Decision.MOTION, gate.decide(frame("a", 5200, 0.002f)));
        assertEquals(Decision.SKIPPED, gate.decide(frame("a", 6400, 0f)), "no open track: no idle checks");
        assertEquals(Decision.UNMEASURED, gate.decide(frame("b", 0, null)));
        assertEquals(Decision.UNMEASURED, gate.decide(frame("b", 200, null)));
        assertEquals(1.0, metrics.get("vap.detector.motion.frames").tag("decision", "motion").counter().count());
        assertEquals(3.0, metrics.get("vap.detector.motion.frames").tag("decision", "skipped").counter().count());
    }

    @Test
    void aCameraWithAnOpenTrackIsCheckedAtTheIdleRate() {
        assertEquals(Decision.MOTION, gate.decide(frame("a", 0, 0.1f)));
        tracker.assign("a", 0, T0, List.of(face()));
        assertEquals(Decision.SKIPPED, gate.decide(frame("a", 800, 0f)));
        assertEquals(Decision.OPEN_TRACK, gate.decide(frame("a", 1000, 0f)));
        tracker.assign("a", 1000, T0.plusMillis(1000), List.of(face()));
        assertEquals(Decision.SKIPPED, gate.decide(frame("a", 1800, 0f)));
        assertEquals(Decision.OPEN_TRACK, gate.decide(frame("a", 2000, 0f)));
        // The face left: the idle check finds nobody, and once the track closes (2 s unseen) the camera is idle.
        tracker.assign("a", 2000, T0.plusMillis(2000), List.of());
        assertEquals(Decision.OPEN_TRACK, gate.decide(frame("a", 3000, 0f)));
        tracker.assign("a", 3000, T0.plusMillis(3000), List.of());
        assertEquals(Decision.OPEN_TRACK, gate.decide(frame("a", 4000, 0f)));
        tracker.assign("a", 4000, T0.plusMillis(4000), List.of());
        assertEquals(0, tracker.openTracks("a"));
        assertEquals(Decision.SKIPPED, gate.decide(frame("a", 5000, 0f)));
        assertEquals(Decision.KEYFRAME, gate.decide(frame("a", 9000, 0f)));
    }

    @Test
    void aReReadBatchIsDetectedAsBeforeAndGatingOffDetectsEverything() {
        assertEquals(Decision.KEYFRAME, gate.decide(frame("a", 0, 0f)));
        assertEquals(Decision.SKIPPED, gate.decide(frame("a", 200, 0f)));
        // The batch is read again (its commit was refused): the detected frame is detected again, the rest not.
        assertEquals(Decision.KEYFRAME, gate.decide(frame("a", 0, 0f)));
        assertEquals(Decision.SKIPPED, gate.decide(frame("a", 200, 0f)));
        MotionGate off = new MotionGate(new MotionGateConfig(false, 0.002, Duration.ofSeconds(1), Duration.ofSeconds(5)),
                tracker, new SimpleMeterRegistry());
        assertEquals(Decision.GATING_OFF, off.decide(frame("a", 0, 0f)));
        assertEquals(Decision.GATING_OFF, off.decide(frame("a", 200, 0f)));
    }

    private static Frame frame(String camera, long atMs, Float motion) {
        return new Frame(1, camera, atMs, T0.plusMillis(atMs), 640, 480, ByteBuffer.allocate(0), motion);
    }

    private static DetectedFace face() {
        List<Landmark> points = List.of(new Landmark(90, 95), new Landmark(110, 95), new Landmark(100, 102),
                new Landmark(92, 112), new Landmark(108, 112));
        return new DetectedFace(80, 80, 120, 120, 0.99f, points);
    }
}
