package vap.detector.track;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vap.detector.TestPhotos;
import vap.detector.mtcnn.MtcnnConfig;
import vap.detector.mtcnn.MtcnnDetector;
import vap.vision.face.DetectedFace;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tracker behind the real MTCNN on a video this test makes: the three people of sample1.jpg (face-api's demo
 * photo), cut out and pasted onto a background at scripted positions, 5 frames per second. The script: A walks
 * right while B walks left a little lower and in front of A, so they cross and B hides part of A; C drifts, is
 * covered by a box for 0.8 s, leaves, and comes back 3 s later (after detector.track.close.after = 2 s); some
 * frames are dropped, once three in a row. Every detection is attributed to the scripted person whose face it is,
 * and identity switches (one track on two people) and fragments (one appearance split over several tracks) are
 * counted against the script.
 */
class ScriptedVideoTrackingTest {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 480;
    private static final int PATCH = 120;
    private static final long FRAME_MILLIS = 200;
    private static final int FRAMES = 60;
    private static final Set<Integer> DROPPED = Set.of(7, 21, 22, 33, 45, 50, 51, 52);
    private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");

    private static MtcnnDetector detector;
    private static List<Mat> people;

    @BeforeAll
    static void load() {
        // Faces here are about 75 px: a minimum face size of 40 keeps the test fast without missing any.
        detector = new MtcnnDetector(MtcnnConfig.defaults().withMinFaceSize(40).withLargeFaces(false));
        people = SamplePeople.cutOut(detector, PATCH);
    }

    @AfterAll
    static void close() {
        people.forEach(Mat::close);
        detector.close();
    }

    /** One scripted appearance: who, from which frame to which, where (patch top-left), hidden frames. */
    private record Appearance(String name, int person, int from, int to, int x0, int y0, int dx, int dy,
                              int hiddenFrom, int hiddenTo) {
        boolean present(int frame) {
            return frame >= from && frame <= to;
        }

        boolean hidden(int frame) {
            return frame >= hiddenFrom && frame <= hiddenTo;
        }

        int x(int frame) {
            return x0 + dx * (frame - from);
        }

        int y(int frame) {
            return y0 + dy * (frame - from);
        }
    }

    private static final List<Appearance> SCRIPT = List.of(
            new Appearance("A", 0, 0, 34, 20, 110, 14, 0, -1, -1),           // walks right
            new Appearance("B", 1, 0, 34, 500, 175, -14, 0, -1, -1),         // walks left, lower, in front of A
            new Appearance("C-1", 2, 5, 26, 240, 330, 4, -1, 12, 15),        // covered 12..15, leaves after 26
            new Appearance("C-2", 2, 42, 59, 420, 300, -5, 1, -1, -1));      // back 3 s later elsewhere

    /** The detections of every delivered frame (dropped frames are absent), the video made and run once. */
    private static Map<Integer, List<DetectedFace>> detections;

    @Test
    void peopleCrossingHiddenLeavingAndComingBackKeepTheirTracksAndNothingElse() {
        Tally tally = track(new FaceTracker(TrackerConfig.defaults(), new SimpleMeterRegistry()));
        String trace = "\n" + tally.log;
        System.out.println("scripted video: " + tally.summary());
        assertEquals(0, tally.switches(), "identity switches (a track given to two people): " + tally.appearancesOf + trace);
        assertEquals(0, tally.fragments(), "fragmented appearances (one appearance over several tracks): " + trace);
        assertEquals(0, tally.strays, "detections that are nobody's face" + trace);
        // Each appearance was really seen (the test cannot pass by seeing nothing) ...
        for (Appearance a : SCRIPT) {
            int seen = tally.tracksOf.getOrDefault(a.name(), List.of()).size();
            int visible = tally.visibleFrames.get(a.name());
            assertTrue(seen >= 0.8 * visible, a.name() + " detected in " + seen + " of " + visible + " frames" + trace);
        }
        // ... and C's return after more than close.after is a new track: the only fragment the script allows.
        assertNotEquals(tally.tracksOf.get("C-1").get(0), tally.tracksOf.get("C-2").get(0), trace);
        assertEquals(4, tally.appearancesOf.size(), "one track per appearance: " + tally.appearancesOf + trace);
    }

    @Test
    void theCountingCatchesTrackersThatLoseOrSwapPeople() {
        // Tracks that close before the next frame arrives: every appearance must show up fragmented.
        Tally broken = track(new FaceTracker(new TrackerConfig(2, java.time.Duration.ofMillis(100), 0.2, 1.0, 0),
                new SimpleMeterRegistry()));
        for (Appearance a : SCRIPT) {
            List<String> ids = broken.tracksOf.get(a.name());
            assertEquals(ids.size(), new LinkedHashSet<>(ids).size(), a.name() + ": a new track on every frame");
        }
        assertTrue(broken.fragments() > 40, broken.summary());
        // And one whose gate is ten face widths: C, back 1.6 s after A and B left, takes over one of their tracks.
        Tally ungated = track(new FaceTracker(new TrackerConfig(1, TrackerConfig.DEFAULT_CLOSE_AFTER, 0.01, 10, 0),
                new SimpleMeterRegistry()));
        assertTrue(ungated.switches() >= 1, ungated.summary() + "\n" + ungated.log);
    }

    private static Tally track(FaceTracker tracker) {
        Tally t = new Tally();
        for (Map.Entry<Integer, List<DetectedFace>> e : detections().entrySet()) {
            int frame = e.getKey();
            List<DetectedFace> faces = e.getValue();
            List<TrackAssignment> tracks = tracker.assign("lobby", 1000 + frame, T0.plusMillis(frame * FRAME_MILLIS), faces);
            for (Appearance a : SCRIPT) {
                if (a.present(frame) && !a.hidden(frame)) {
                    t.visibleFrames.merge(a.name(), 1, Integer::sum);
                }
            }
            t.log.append(frame).append(':');
            for (int i = 0; i < faces.size(); i++) {
                Appearance who = whose(faces.get(i), frame);
                String id = tracks.get(i).trackId();
                t.log.append(' ').append(who == null ? "?" : who.name()).append('=')
                        .append(id.substring(id.lastIndexOf('/') + 1));
                if (who == null) {
                    t.strays++;
                    continue;
                }
                t.tracksOf.computeIfAbsent(who.name(), k -> new ArrayList<>()).add(id);
                t.appearancesOf.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(who.name());
            }
            t.log.append('\n');
        }
        return t;
    }

    private static synchronized Map<Integer, List<DetectedFace>> detections() {
        if (detections == null) {
            detections = new LinkedHashMap<>();
            for (int frame = 0; frame < FRAMES; frame++) {
                if (!DROPPED.contains(frame)) {
                    try (Mat image = render(frame)) {
                        detections.put(frame, detector.detect(image));
                    }
                }
            }
        }
        return detections;
    }

    /** What a tracker made of the video, attributed to the script. */
    private static final class Tally {
        final Map<String, List<String>> tracksOf = new LinkedHashMap<>();      // appearance -> track ids, in order
        final Map<String, Set<String>> appearancesOf = new LinkedHashMap<>();  // track id -> appearances
        final Map<String, Integer> visibleFrames = new LinkedHashMap<>();
        final StringBuilder log = new StringBuilder();
        int strays;

        int switches() {
            return appearancesOf.values().stream().mapToInt(names -> names.size() - 1).sum();
        }

        int fragments() {
            return tracksOf.values().stream().mapToInt(ids -> new LinkedHashSet<>(ids).size() - 1).sum();
        }

        String summary() {
            Map<String, String> seen = new LinkedHashMap<>();
            tracksOf.forEach((k, v) -> seen.put(k, v.size() + "/" + visibleFrames.get(k) + " frames, "
                    + new LinkedHashSet<>(v).size() + " track(s)"));
            return "switches " + switches() + ", fragments " + fragments() + ", strays " + strays + "; " + seen;
        }
    }

    /** The scripted appearance whose pasted face is nearest the detection's centre, if it lies on its patch. */
    private static Appearance whose(DetectedFace face, int frame) {
        double cx = (face.x1() + face.x2()) / 2;
        double cy = (face.y1() + face.y2()) / 2;
        Appearance best = null;
        double bestDistance = Double.MAX_VALUE;
        for (Appearance a : SCRIPT) {
            if (!a.present(frame) || a.hidden(frame)) {
                continue;
            }
            double px = a.x(frame) + PATCH / 2.0;
            double py = a.y(frame) + PATCH / 2.0;
            double d = Math.hypot(cx - px, cy - py);
            if (d < PATCH / 2.0 && d < bestDistance) {
                best = a;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Frame {@code frame} of the script: background, then the people in script order (later ones in front). */
    private static Mat render(int frame) {
        Mat image = TestPhotos.gradient(WIDTH, HEIGHT);
        for (Appearance a : SCRIPT) {
            if (!a.present(frame)) {
                continue;
            }
            try (Rect where = new Rect(a.x(frame), a.y(frame), PATCH, PATCH); Mat target = new Mat(image, where)) {
                people.get(a.person()).copyTo(target);
                if (a.hidden(frame)) {
                    try (Scalar grey = new Scalar(90, 90, 90, 0)) {
                        rectangle(target, new Rect(0, 0, PATCH, PATCH), grey, -1, 8, 0); // an occluding object
                    }
                }
            }
        }
        return image;
    }
}
