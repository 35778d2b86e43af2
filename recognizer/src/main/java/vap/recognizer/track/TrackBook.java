package vap.recognizer.track;

import vap.messages.CropLocation;
import vap.messages.FaceCrop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The open tracks of one recognizer worker (its partitions' cameras), and when they close: by event time (the
 * camera's newest capture is {@code closeAfter} past the track's last face) or, as a fallback, by wall clock
 * (nothing of its camera arrived for {@code idleCloseAfter}: a stopped camera or detector). In memory only: a restart loses open tracks' evidence.
 * A checkpoint before each batch lets a batch whose outputs were lost be replayed from the same state.
 */
public final class TrackBook {
    private final TrackPolicy policy;
    private Map<String, Track> open = new LinkedHashMap<>();
    private Map<String, Long> cameraClock = new HashMap<>();
    private Map<String, Long> cameraArrival = new HashMap<>();
    private Map<String, Track> savedOpen;
    private Map<String, Long> savedClock;
    private Map<String, Long> savedArrival;

    public TrackBook(TrackPolicy policy) {
        this.policy = policy;
    }

    public TrackPolicy policy() {
        return policy;
    }

    /** The quality a crop is ranked by: the detector's combined value, or its detection score before tracking. */
    public static float qualityOf(FaceCrop crop) {
        return crop.getQuality() != null ? crop.getQuality().getValue() : crop.getScore();
    }

    /**
     * The crop's track with the crop counted: its open track, a new one, or (no track id) a one-face track that
     * is never stored, decided on that face alone, and has no appearance (what untracked detectors always got).
     */
    public Track observe(FaceCrop crop, CropLocation location, long wallMillis) {
        String camera = crop.getFrame().getCameraId();
        Track track;
        if (crop.getTrackId() == null) {
            track = new Track(null, camera, 1);
        } else {
            track = open.computeIfAbsent(crop.getTrackId(), id -> new Track(id, camera, policy.minFaces()));
            cameraClock.merge(camera, crop.getFrame().getCaptureTimestamp().toEpochMilli(), Math::max);
            cameraArrival.merge(camera, wallMillis, Math::max);
        }
        track.observe(crop, location, qualityOf(crop), wallMillis);
        return track;
    }

    /** Why to embed this crop of {@code track} (null: not); if admitted the track counts it from now on. */
    public EmbedReason admit(Track track, FaceCrop crop) {
        float quality = qualityOf(crop);
        long capture = crop.getFrame().getCaptureTimestamp().toEpochMilli();
        EmbedReason reason = track.wants(quality, capture, policy);
        if (reason != null) {
            track.reserve(quality, capture, reason);
        }
        return reason;
    }

    /** Keeps an embedded crop; one that is not the person the track's evidence shows replaces that evidence. */
    public void keep(Track track, Evidence evidence) {
        List<Evidence> kept = track.kept();
        if (!kept.isEmpty() && dot(evidence.embedding(), Fusion.fuse(kept)) < policy.samePerson()) {
            track.dropEvidence();
        }
        track.keep(evidence, policy.maxEmbeddings());
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    public void decide(Track track, Decision decision) {
        track.decide(decision);
    }

    public void published(Track track, vap.recognizer.watchlist.Identity identity) {
        track.published(identity);
    }

    /** Removes and returns the tracks that are over, oldest first. */
    public List<Track> closeDue(long wallMillis) {
        List<Track> closed = new ArrayList<>();
        for (Iterator<Track> it = open.values().iterator(); it.hasNext(); ) {
            Track t = it.next();
            long clock = cameraClock.getOrDefault(t.cameraId(), Long.MIN_VALUE);
            boolean byEventTime = clock - t.lastSeen().toEpochMilli() > policy.closeAfter().toMillis();
            long arrival = cameraArrival.getOrDefault(t.cameraId(), t.lastArrivalMillis());
            boolean byWallClock = wallMillis - arrival > policy.idleCloseAfter().toMillis();
            if (byEventTime || byWallClock) {
                closed.add(t);
                it.remove();
            }
        }
        return closed;
    }

    /**
     * The open tracks due an update (closed = false), marked as updated: their identity changed, or they have
     * been seen {@code recognizer.track.update.interval} longer since the last one. None when updates are off.
     */
    public List<Track> updatesDue() {
        List<Track> due = new ArrayList<>();
        if (!policy.updatesOpenTracks()) {
            return due;
        }
        for (Track t : open.values()) {
            if (t.updateDue(policy.updateInterval())) {
                t.updated();
                due.add(t);
            }
        }
        return due;
    }

    /** Removes and returns every open track (the worker is stopping). */
    public List<Track> closeAll() {
        List<Track> all = new ArrayList<>(open.values());
        open.clear();
        return all;
    }

    public int openTracks() {
        return open.size();
    }

    public void checkpoint() {
        savedOpen = new LinkedHashMap<>();
        open.forEach((id, t) -> savedOpen.put(id, t.copy()));
        savedClock = new HashMap<>(cameraClock);
        savedArrival = new HashMap<>(cameraArrival);
    }

    /** Back to the last checkpoint: what happened since is forgotten. */
    public void restore() {
        if (savedOpen != null) {
            open = savedOpen;
            cameraClock = savedClock;
            cameraArrival = savedArrival;
            checkpoint(); // a second restore must not share the tracks now open
        }
    }
}
