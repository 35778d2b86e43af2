package vap.ingest;

import vap.ingest.health.CameraState;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of every camera, taken by {@link IngestService#status()}; {@link #render()} is the
 * {@code status} view the {@code ingest} command prints.
 */
public record IngestStatus(Instant at, List<CameraStatus> cameras, String registryProblem) {
    public IngestStatus {
        cameras = List.copyOf(cameras);
    }

    public Optional<CameraStatus> camera(String id) {
        return cameras.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    public Map<CameraState, Long> countByState() {
        Map<CameraState, Long> m = new EnumMap<>(CameraState.class);
        cameras.forEach(c -> m.merge(c.state(), 1L, Long::sum));
        return m;
    }

    /** One line: "3 cameras: 2 streaming, 1 backing_off". */
    public String summary() {
        StringBuilder b = new StringBuilder().append(cameras.size()).append(cameras.size() == 1 ? " camera" : " cameras");
        String sep = ": ";
        for (var e : countByState().entrySet()) {
            b.append(sep).append(e.getValue()).append(' ').append(e.getKey().label());
            sep = ", ";
        }
        if (registryProblem != null) {
            b.append("; camera file: ").append(registryProblem);
        }
        return b.toString();
    }

    /** A fixed-width table, one camera per line, then the last error of each camera that has one. */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-16s %-20s %8s %9s %7s %10s %10s %8s %5s  %s%n", "CAMERA", "STATE", "FOR", "SIZE",
                "FPS", "DECODED", "PUBLISHED", "DROPPED", "RECON", "URL"));
        for (CameraStatus c : cameras) {
            b.append(String.format("%-16s %-20s %8s %9s %7.1f %10d %10d %8d %5d  %s%n", c.id(), c.state().label(),
                    ago(c.since()), c.width() > 0 ? c.width() + "x" + c.height() : "-", c.targetFps(), c.decoded(),
                    c.published(), c.droppedTotal(), c.reconnects(), c.url()));
        }
        for (CameraStatus c : cameras) {
            if (c.state() != CameraState.STREAMING && c.detail() != null) {
                b.append("  ").append(c.id()).append(": ").append(c.detail()).append(System.lineSeparator());
            } else if (c.lastError() != null) {
                b.append("  ").append(c.id()).append(" (last problem ").append(ago(c.lastErrorAt())).append(" ago): ")
                        .append(c.lastError()).append(System.lineSeparator());
            }
        }
        if (registryProblem != null) {
            b.append("  camera file: ").append(registryProblem).append(System.lineSeparator());
        }
        return b.toString();
    }

    private String ago(Instant t) {
        if (t == null) {
            return "-";
        }
        long s = Math.max(0, Duration.between(t, at).toSeconds());
        return s < 120 ? s + "s" : s < 7200 ? (s / 60) + "m" : (s / 3600) + "h";
    }
}
