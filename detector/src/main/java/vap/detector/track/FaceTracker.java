package vap.detector.track;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import vap.vision.face.DetectedFace;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The face tracks of every camera this detector process sees, one {@link CameraTracks} per camera. State lives
 * in memory only: a replica that is given a camera's partition (at start or by a rebalance) has no tracks for it
 * and opens fresh ones with its own instance id; the replica that lost the partition forgets the camera after
 * {@link #idleCamera} without frames. Thread-safe: the workers of one process share it; the calls for one
 * camera are serialised (its frames come from one partition, in capture order).
 */
public final class FaceTracker {
    private final TrackerConfig config;
    private final TrackIds ids;
    private final Duration idleCamera;
    private final Map<String, CameraTracks> cameras = new ConcurrentHashMap<>();
    private final TrackListener listener;
    private volatile long lastSweepNanos = System.nanoTime();

    public FaceTracker(TrackerConfig config, MeterRegistry metrics) {
        this.config = config;
        this.ids = new TrackIds(System.currentTimeMillis());
        // Wall-clock, not capture time: a camera whose partition moved away sends nothing here any more.
        this.idleCamera = Duration.ofMillis(Math.max(60_000, 10 * config.closeAfter().toMillis()));
        Tags tags = Tags.of("service", "detector");
        Counter opened = metrics.counter("vap.detector.tracks", tags.and("event", "opened"));
        Counter confirmed = metrics.counter("vap.detector.tracks", tags.and("event", "confirmed"));
        Counter closed = metrics.counter("vap.detector.tracks", tags.and("event", "closed"));
        Counter cuts = metrics.counter("vap.detector.scene.cuts", tags);
        Counter closedAtCut = metrics.counter("vap.detector.tracks", tags.and("event", "closed_at_cut"));
        metrics.gauge("vap.detector.tracks.open", tags, cameras,
                m -> m.values().stream().mapToInt(CameraTracks::openTracks).sum());
        this.listener = new TrackListener() {
            @Override
            public void opened() {
                opened.increment();
            }

            @Override
            public void confirmed() {
                confirmed.increment();
            }

            @Override
            public void closed(int tracks) {
                closed.increment(tracks);
            }

            @Override
            public void sceneCut(int tracks) {
                cuts.increment();
                closedAtCut.increment(tracks);
            }
        };
    }

    /** This tracker's part of every track id it opens: start time in base 36 and a random suffix. */
    public String instance() {
        return ids.instance();
    }

    public TrackerConfig config() {
        return config;
    }

    /**
     * The track of each face found in frame {@code sequence} of {@code cameraId}, captured at {@code captured},
     * in the order of {@code faces}. A frame this camera already processed gets the same answer again while it is
     * among the last {@code detector.track.replay.frames}; an older one gets nulls (untracked faces).
     */
    public List<TrackAssignment> assign(String cameraId, long sequence, Instant captured, List<DetectedFace> faces) {
        return assign(cameraId, sequence, captured, null, null, faces);
    }

    /**
     * As {@link #assign(String, long, Instant, List)} for a frame whose motion measure is {@code motion}
     * ({@code Frame.motion}; null: not measured) and whose picture shrinks to {@code picture} (null: not known).
     * A frame whose motion is at or above {@code detector.track.scene-cut}, and whose picture still differs that
     * much from the camera's previous one at the best slide (a pan is not a cut), is a new scene: the camera's
     * open tracks close first and every face of it opens a new track.
     */
    public List<TrackAssignment> assign(String cameraId, long sequence, Instant captured, Float motion,
                                        SceneThumbnail picture, List<DetectedFace> faces) {
        sweepIdleCameras();
        CameraTracks tracks = cameras.computeIfAbsent(cameraId, c -> new CameraTracks(c, config, ids, listener));
        synchronized (tracks) {
            return tracks.assign(sequence, captured, motion, picture, faces);
        }
    }

    /** Open tracks of a camera (0 when it has none or is unknown here). */
    public int openTracks(String cameraId) {
        CameraTracks tracks = cameras.get(cameraId);
        if (tracks == null) {
            return 0;
        }
        synchronized (tracks) {
            return tracks.openTracks();
        }
    }

    private void sweepIdleCameras() {
        long now = System.nanoTime();
        if (now - lastSweepNanos < idleCamera.toNanos() / 4) {
            return;
        }
        lastSweepNanos = now;
        cameras.entrySet().removeIf(e -> {
            if (now - e.getValue().lastUsedNanos() <= idleCamera.toNanos()) {
                return false;
            }
            synchronized (e.getValue()) {
                e.getValue().closeAll();
            }
            return true;
        });
    }
}
