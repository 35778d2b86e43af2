package vap.ingest;

import vap.ingest.health.CameraState;

import java.time.Instant;
import java.util.Map;

/**
 * One camera in a status snapshot. Every text in it is redacted: {@code url} has its credentials masked.
 *
 * @param detail    why the camera is in its state (e.g. the error that sent it into backoff)
 * @param lastError the last problem seen, even if the camera has recovered since (null if none)
 * @param dropped   sampled frames that did not reach Kafka, by reason (backpressure, too_large, send_failed)
 */
public record CameraStatus(String id, String url, CameraState state, Instant since, String detail, String lastError,
                           Instant lastErrorAt, double targetFps, int width, int height, long decoded, long published,
                           Map<String, Long> dropped, long reconnects) {

    public CameraStatus {
        dropped = Map.copyOf(dropped);
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }
}
