package vap.ingest.health;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CameraHealthTest {
    @Test
    void followsTheStateMachineAndRefusesImpossibleTransitions() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CameraHealth h = new CameraHealth("cam", "rtsp://***@h/s", 5, registry, Clock.systemUTC());
        assertEquals(CameraState.CONNECTING, h.state());
        assertThrows(IllegalStateException.class, () -> h.moveTo(CameraState.STALLED, "not connected yet"));
        h.moveTo(CameraState.BACKING_OFF, "refused");
        assertThrows(IllegalStateException.class, () -> h.moveTo(CameraState.STREAMING, "skipped connecting"));
        h.moveTo(CameraState.CONNECTING, "again");
        h.moveTo(CameraState.STREAMING, "ok");
        h.moveTo(CameraState.STALLED, "silent");
        h.moveTo(CameraState.STREAMING, "back");
        h.moveTo(CameraState.BACKING_OFF, "lost");
        h.moveTo(CameraState.STOPPED, "removed");
        assertThrows(IllegalStateException.class, () -> h.moveTo(CameraState.CONNECTING, "after stop"));
        assertEquals("lost", h.snapshot().lastError());
    }

    @Test
    void aStreamingCameraWithoutFramesIsStalled() {
        CameraHealth h = new CameraHealth("cam", "u", 5, new SimpleMeterRegistry(), Clock.systemUTC());
        h.moveTo(CameraState.STREAMING, "ok");
        h.frameDecoded(640, 480);
        long now = System.nanoTime();
        assertFalse(h.checkStall(now, Duration.ofSeconds(10)));
        assertTrue(h.checkStall(now + Duration.ofSeconds(11).toNanos(), Duration.ofSeconds(10)));
        assertEquals(CameraState.STALLED, h.state());
        assertTrue(h.snapshot().detail().contains("went silent"), h.snapshot().detail());
    }

    @Test
    void exposesStateAndCountersAsMetricsAndRemovesThem() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CameraHealth h = new CameraHealth("cam-7", "u", 5, registry, Clock.systemUTC());
        h.moveTo(CameraState.STREAMING, "ok");
        h.frameDecoded(640, 480);
        h.frameDecoded(640, 480);
        h.dropped(CameraHealth.DropReason.BACKPRESSURE);
        h.published(1000, java.time.Instant.now());
        assertEquals(1.0, registry.get("vap.ingest.camera.state").tag("camera", "cam-7").tag("state", "streaming").gauge().value());
        assertEquals(0.0, registry.get("vap.ingest.camera.state").tag("camera", "cam-7").tag("state", "stalled").gauge().value());
        assertEquals(2.0, registry.get("vap.ingest.frames.decoded").tag("camera", "cam-7").functionCounter().count());
        assertEquals(1.0, registry.get("vap.ingest.frames.dropped").tag("camera", "cam-7").tag("reason", "backpressure")
                .functionCounter().count());
        assertEquals(1.0, registry.get("vap.ingest.frames.published").tag("camera", "cam-7").functionCounter().count());
        h.close();
        assertTrue(registry.find("vap.ingest.frames.decoded").tag("camera", "cam-7").meters().isEmpty());
    }
}
