package vap.detector.track;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tracker's association and closing rules on faces placed by hand (no detector). */
class FaceTrackerTest {
    private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final FaceTracker tracker = new FaceTracker(TrackerConfig.defaults(), metrics);

    @Test
    void aFaceMovingSteadilyKeepsItsTrackAndIsConfirmedOnItsSecondHit() {
        List<TrackAssignment> seen = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            seen.add(tracker.assign("lobby", i, at(i * 200), List.of(face(100 + 30 * i, 200, 80))).get(0));
        }
        assertEquals(1, seen.stream().map(TrackAssignment::trackId).distinct().count(), seen.toString());
        assertFalse(seen.get(0).confirmed());
        assertTrue(seen.get(1).confirmed());
        assertEquals(10, seen.get(9).hits());
        assertEquals(T0, seen.get(9).firstSeen());
        assertEquals(1.0, metrics.get("vap.detector.tracks").tag("event", "opened").counter().count());
        assertEquals(1.0, metrics.get("vap.detector.tracks").tag("event", "confirmed").counter().count());
    }

    @Test
    void twoFacesCrossingEachOtherKeepTheirOwnTracks() {
        // A walks right, B walks left, 30 px lower: at frame 5 their boxes overlap by more than half.
        Set<String> aIds = new HashSet<>();
        Set<String> bIds = new HashSet<>();
        for (int i = 0; i <= 10; i++) {
            // The detector reports faces in no particular order: alternate it.
            DetectedFace a = face(100 + 40 * i, 200, 80);
            DetectedFace b = face(500 - 40 * i, 230, 80);
            List<TrackAssignment> got = tracker.assign("lobby", i, at(i * 200), i % 2 == 0 ? List.of(a, b) : List.of(b, a));
            aIds.add(got.get(i % 2 == 0 ? 0 : 1).trackId());
            bIds.add(got.get(i % 2 == 0 ? 1 : 0).trackId());
        }
        assertEquals(1, aIds.size(), "A: " + aIds);
        assertEquals(1, bIds.size(), "B: " + bIds);
        assertNotEquals(aIds, bIds);
    }

    @Test
    void aFaceHiddenBehindAnotherIsPickedUpWhereItsMotionLeadsIt() {
        // A is hidden (not detected) in frames 4..6 while B passes in front of it; A's motion carries its track.
        String a = null;
        for (int i = 0; i <= 10; i++) {
            DetectedFace fa = face(100 + 40 * i, 200, 80);
            DetectedFace fb = face(500 - 40 * i, 215, 80);
            boolean hidden = i >= 4 && i <= 6;
            List<TrackAssignment> got = tracker.assign("lobby", i, at(i * 200), hidden ? List.of(fb) : List.of(fa, fb));
            if (!hidden) {
                if (a == null) {
                    a = got.get(0).trackId();
                }
                assertEquals(a, got.get(0).trackId(), "frame " + i);
            }
        }
    }

    @Test
    void tracksCloseByCaptureTimeNotByFrameCount() {
        String first = tracker.assign("lobby", 1, at(0), List.of(face(300, 200, 80))).get(0).trackId();
        // Thirty frames without the face inside 1.9 s: still open.
        for (int i = 0; i < 30; i++) {
            tracker.assign("lobby", 2 + i, at(60 * i), List.of());
        }
        assertEquals(first, tracker.assign("lobby", 40, at(1900), List.of(face(300, 200, 80))).get(0).trackId());
        // One frame 2.1 s after the last sighting (the frames in between were dropped): a new track.
        TrackAssignment later = tracker.assign("lobby", 41, at(4001), List.of(face(300, 200, 80))).get(0);
        assertNotEquals(first, later.trackId());
        assertEquals(1, later.hits());
        assertEquals(1, tracker.openTracks("lobby"));
        assertEquals(1.0, metrics.get("vap.detector.tracks").tag("event", "closed").counter().count());
    }

    @Test
    void aFaceFarFromEveryPredictionOpensANewTrack() {
        String first = tracker.assign("lobby", 1, at(0), List.of(face(100, 200, 80))).get(0).trackId();
        String other = tracker.assign("lobby", 2, at(200), List.of(face(400, 200, 80))).get(0).trackId();
        assertNotEquals(first, other);
        // A face of twice the size at the same place is someone else in front (size gate).
        String closer = tracker.assign("lobby", 3, at(400), List.of(face(100, 200, 200))).get(0).trackId();
        assertNotEquals(first, closer);
    }

    @Test
    void camerasHaveSeparateTracksAndIdsAreUniqueAcrossCamerasAndTrackers() {
        DetectedFace f = face(300, 200, 80);
        String lobby = tracker.assign("lobby", 1, at(0), List.of(f)).get(0).trackId();
        String yard = tracker.assign("yard", 1, at(0), List.of(f)).get(0).trackId();
        FaceTracker restarted = new FaceTracker(TrackerConfig.defaults(), new SimpleMeterRegistry());
        String again = restarted.assign("lobby", 1, at(0), List.of(f)).get(0).trackId();
        assertTrue(lobby.startsWith("lobby/" + tracker.instance() + "/"), lobby);
        assertTrue(yard.startsWith("yard/" + tracker.instance() + "/"), yard);
        assertTrue(again.startsWith("lobby/" + restarted.instance() + "/"), again);
        assertEquals(3, Set.of(lobby, yard, again).size());
        assertNotEquals(tracker.instance(), restarted.instance());
    }

    @Test
    void aReReadFrameGetsTheSameTracksAndAnUnrememberedOldOneNone() {
        FaceTracker small = new FaceTracker(new TrackerConfig(2, Duration.ofSeconds(2), 0.2, 1.0, 4),
                new SimpleMeterRegistry());
        List<List<TrackAssignment>> first = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            first.add(small.assign("lobby", 100 + i, at(i * 200), List.of(face(100 + 20 * i, 200, 80))));
        }
        // The worker re-reads the last four frames (output failed): same ids, same hit counts.
        for (int i = 4; i < 8; i++) {
            assertEquals(first.get(i), small.assign("lobby", 100 + i, at(i * 200), List.of(face(100 + 20 * i, 200, 80))));
        }
        // Frame 101 is no longer remembered: its face is published untracked rather than given a wrong track.
        assertNull(small.assign("lobby", 101, at(200), List.of(face(120, 200, 80))).get(0));
        // The track goes on where it was.
        TrackAssignment next = small.assign("lobby", 108, at(1600), List.of(face(260, 200, 80))).get(0);
        assertEquals(first.get(7).get(0).trackId(), next.trackId());
        assertEquals(9, next.hits());
    }

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    /** A frontal face of box side {@code size} centred at (cx, cy), landmarks where MTCNN puts them. */
    static DetectedFace face(double cx, double cy, double size) {
        double h = size / 2;
        List<Landmark> points = List.of(
                point(cx - 0.2 * size, cy - 0.1 * size), point(cx + 0.2 * size, cy - 0.1 * size),
                point(cx, cy + 0.05 * size),
                point(cx - 0.15 * size, cy + 0.25 * size), point(cx + 0.15 * size, cy + 0.25 * size));
        return new DetectedFace((float) (cx - h), (float) (cy - h), (float) (cx + h), (float) (cy + h), 0.99f, points);
    }

    private static Landmark point(double x, double y) {
        return new Landmark((float) x, (float) y);
    }
}
