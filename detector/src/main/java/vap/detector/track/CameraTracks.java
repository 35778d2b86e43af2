package vap.detector.track;

import vap.detector.track.Track.Prediction;
import vap.vision.face.DetectedFace;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The open tracks of one camera and the association of each frame's faces with them: tracks unseen for
 * {@code closeAfter} (capture time) close; every open track predicts its box at the frame's capture time
 * (constant velocity); face-track pairs within the gate (box overlap or centre distance) are ranked by cost
 * (1 - IoU + mean landmark distance in face widths) and taken greedily, confirmed tracks before tentative
 * ones; a face left over opens a new track. A frame whose motion says the whole picture changed, and whose picture
 * is not the previous one slid (a pan), is a new scene (a hard cut, another camera on the same feed): it closes
 * every open track first, since faces at the places of the old ones are other people now. Remembers the last
 * {@code replayFrames} frames' assignments so that a batch the worker re-reads (failed output, rebalance within the
 * process) gets the same track ids.
 * Not thread-safe: FaceTracker serialises the calls per camera.
 */
final class CameraTracks {
    private final String cameraId;
    private final TrackerConfig config;
    private final TrackIds ids;
    private final TrackListener listener;
    private final List<Track> open = new ArrayList<>();
    private final Map<Long, List<TrackAssignment>> recent;
    private long lastSequence = Long.MIN_VALUE;
    private long lastCaptureMillis = Long.MIN_VALUE;
    private SceneThumbnail lastPicture;
    private volatile long lastUsedNanos = System.nanoTime();

    CameraTracks(String cameraId, TrackerConfig config, TrackIds ids, TrackListener listener) {
        this.cameraId = cameraId;
        this.config = config;
        this.ids = ids;
        this.listener = listener;
        int keep = config.replayFrames();
        this.recent = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, List<TrackAssignment>> eldest) {
                return size() > keep;
            }
        };
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    int openTracks() {
        return open.size();
    }

    /** Closes every open track (the camera is dropped from memory). */
    void closeAll() {
        listener.closed(open.size());
        open.clear();
    }

    /**
     * The track of each face of frame {@code sequence}, in the order of {@code faces}; null for a face that
     * cannot be tracked: a frame older than what this camera already processed and no longer remembered.
     */
    List<TrackAssignment> assign(long sequence, Instant captured, Float motion, SceneThumbnail picture,
                                 List<DetectedFace> faces) {
        lastUsedNanos = System.nanoTime();
        if (sequence <= lastSequence) {
            List<TrackAssignment> replay = recent.get(sequence);
            if (replay != null && replay.size() == faces.size()) {
                return replay;
            }
            return Arrays.asList(new TrackAssignment[faces.size()]);
        }
        long t = captured.toEpochMilli();
        if (t < lastCaptureMillis) {
            t = lastCaptureMillis; // a clock step back at the camera: keep time monotonic for the motion model
            captured = Instant.ofEpochMilli(t);
        }
        if (lastSequence != Long.MIN_VALUE && isNewScene(motion, picture)) { // a camera's first frame here cuts nothing
            closeAtCut();
        }
        lastSequence = sequence;
        lastCaptureMillis = t;
        if (picture != null) {
            lastPicture = picture;
        }
        closeUnseen(t);
        Track[] chosen = new Track[faces.size()];
        associate(true, t, faces, chosen);
        associate(false, t, faces, chosen);
        List<TrackAssignment> out = new ArrayList<>(faces.size());
        for (int f = 0; f < faces.size(); f++) {
            Track track = chosen[f];
            if (track == null) {
                track = new Track(ids.next(cameraId), faces.get(f), captured);
                open.add(track);
                listener.opened();
            } else {
                track.update(faces.get(f), captured);
            }
            if (track.hits() == config.confirmHits()) {
                listener.confirmed();
            }
            out.add(new TrackAssignment(track.id, track.hits(), track.firstSeen,
                    track.hits() >= config.confirmHits()));
        }
        List<TrackAssignment> result = List.copyOf(out);
        if (config.replayFrames() > 0) {
            recent.put(sequence, result);
        }
        return result;
    }

    /** Motion says most of the picture changed, and (when both pictures are known) it is not the old one slid. */
    private boolean isNewScene(Float motion, SceneThumbnail picture) {
        if (!config.motionMayCut(motion)) {
            return false;
        }
        return picture == null || lastPicture == null || !picture.sameSceneAs(lastPicture);
    }

    private void closeAtCut() {
        int closed = open.size();
        open.clear();
        listener.sceneCut(closed);
        if (closed > 0) {
            listener.closed(closed);
        }
    }

    private void closeUnseen(long t) {
        long limit = config.closeAfter().toMillis();
        int closed = 0;
        for (Iterator<Track> it = open.iterator(); it.hasNext(); ) {
            if (t - it.next().lastSeenMillis() > limit) {
                it.remove();
                closed++;
            }
        }
        if (closed > 0) {
            listener.closed(closed);
        }
    }

    private void associate(boolean confirmed, long t, List<DetectedFace> faces, Track[] chosen) {
        List<Pair> pairs = new ArrayList<>();
        for (Track track : open) {
            if ((track.hits() >= config.confirmHits()) != confirmed || isChosen(track, chosen)) {
                continue;
            }
            Prediction p = track.predict(t);
            for (int f = 0; f < faces.size(); f++) {
                if (chosen[f] == null) {
                    double cost = cost(p, faces.get(f));
                    if (cost >= 0) {
                        pairs.add(new Pair(track, f, cost));
                    }
                }
            }
        }
        pairs.sort(Comparator.comparingDouble(Pair::cost));
        List<Track> taken = new ArrayList<>();
        for (Pair pair : pairs) {
            if (chosen[pair.face] == null && !taken.contains(pair.track)) {
                chosen[pair.face] = pair.track;
                taken.add(pair.track);
            }
        }
    }

    /** The cost of giving {@code face} to the track that predicted {@code p}; negative when outside the gate. */
    private double cost(Prediction p, DetectedFace face) {
        double w = Math.max(1, p.width());
        double scale = face.width() / w;
        if (scale < 0.5 || scale > 2) {
            return -1;
        }
        double iou = iou(p, face);
        double dx = (face.x1() + face.x2()) / 2.0 - p.centreX();
        double dy = (face.y1() + face.y2()) / 2.0 - p.centreY();
        double distance = Math.hypot(dx, dy) / w;
        if (iou < config.minIou() && distance > config.maxDistance()) {
            return -1;
        }
        double landmarks = 0;
        for (int i = 0; i < DetectedFace.LANDMARK_COUNT; i++) {
            landmarks += Math.hypot(face.landmark(i).x() - p.landmarks()[2 * i],
                    face.landmark(i).y() - p.landmarks()[2 * i + 1]);
        }
        return (1 - iou) + landmarks / DetectedFace.LANDMARK_COUNT / w;
    }

    private static double iou(Prediction p, DetectedFace f) {
        double ix = Math.min(p.x2(), f.x2()) - Math.max(p.x1(), f.x1());
        double iy = Math.min(p.y2(), f.y2()) - Math.max(p.y1(), f.y1());
        if (ix <= 0 || iy <= 0) {
            return 0;
        }
        double inter = ix * iy;
        double union = (p.x2() - p.x1()) * (p.y2() - p.y1()) + (double) f.width() * f.height() - inter;
        return union <= 0 ? 0 : inter / union;
    }

    private static boolean isChosen(Track track, Track[] chosen) {
        for (Track t : chosen) {
            if (t == track) {
                return true;
            }
        }
        return false;
    }

    private record Pair(Track track, int face, double cost) {
    }
}
