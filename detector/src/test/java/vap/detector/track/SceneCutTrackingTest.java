package vap.detector.track;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vap.detector.mtcnn.MtcnnConfig;
import vap.detector.mtcnn.MtcnnDetector;
import vap.ingest.IngestConfig;
import vap.ingest.decode.MotionMeter;
import vap.vision.face.DetectedFace;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scene-cut rule on videos this test makes, 2 frames per second (vap run's rate), measured by ingest's own
 * MotionMeter and detected by the real MTCNN. The three people of sample1.jpg are cut out and pasted on a mosaic of
 * shapes. Cut: 3 s of one mosaic with the people at three places, then a hard cut to another mosaic with the people
 * swapped round at the same places: every face after the cut is someone else, so no track may continue. Pan: the
 * camera slides over a wide mosaic, one person standing still in it, two walking slower: ingest's motion is
 * as high as at a cut, but the picture is the old one slid, so every person keeps one track.
 */
class SceneCutTrackingTest {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    private static final int PATCH = 150;
    private static final long FRAME_MILLIS = 500;
    private static final int FRAMES_PER_SCENE = 6;
    private static final int[][] PLACES = {{40, 60}, {250, 120}, {450, 40}};
    /** The pan: the camera moves this far right per frame (not a whole number of 10 px thumbnail cells). */
    private static final int PAN_STEP = 67;
    private static final int PAN_FRAMES = 8;
    private static final Instant T0 = Instant.parse("2026-11-30T01:00:00Z");

    private static MtcnnDetector detector;
    private static List<Mat> people;
    private static List<Observed> cutVideo;
    private static List<Observed> panVideo;

    /** One frame as the detector sees it, with the scripted person behind each face (-1: nobody). */
    private record Observed(long millis, float motion, SceneThumbnail picture, List<DetectedFace> faces, int[] who) {
    }

    @BeforeAll
    static void makeVideos() {
        detector = new MtcnnDetector(MtcnnConfig.defaults().withMinFaceSize(40).withLargeFaces(false));
        people = SamplePeople.cutOut(detector, PATCH);
        cutVideo = cutVideo();
        panVideo = panVideo();
    }

    @AfterAll
    static void close() {
        people.forEach(Mat::close);
        detector.close();
    }

    @Test
    void aHardCutWithFacesAtTheSamePlacesStartsNewTracks() {
        Trace on = trace(cutVideo, TrackerConfig.defaults());
        System.out.println("cut video, scene-cut on:\n" + on.table);
        Set<String> before = on.tracksBetween(0, FRAMES_PER_SCENE);
        Set<String> after = on.tracksBetween(FRAMES_PER_SCENE, 2 * FRAMES_PER_SCENE);
        assertEquals(3, before.size(), "one track per person before the cut:\n" + on.table);
        assertEquals(3, after.size(), "one track per person after the cut:\n" + on.table);
        before.retainAll(after);
        assertEquals(Set.of(), before, "tracks carried across the cut:\n" + on.table);
        assertEquals(1.0, on.cuts, "scene cuts counted:\n" + on.table);
        assertEquals(0, on.switches(), "a track given to two people:\n" + on.table);
    }

    @Test
    void withoutTheRuleTheCutVideoCarriesTracksOver() {
        Trace off = trace(cutVideo, withSceneCut(0));
        System.out.println("cut video, scene-cut off:\n" + off.table);
        // The video puts faces where the tracker would carry them on: the test above fails without the rule.
        assertTrue(off.switches() >= 2, "tracks given to two people without the rule:\n" + off.table);
    }

    @Test
    void aPanAsBusyAsACutKeepsEveryPersonOnOneTrack() {
        Trace on = trace(panVideo, TrackerConfig.defaults());
        System.out.println("pan video, scene-cut on:\n" + on.table);
        // Ingest's motion alone would have called the pan a cut on most frames ...
        long busy = panVideo.stream().skip(1).filter(f -> TrackerConfig.defaults().motionMayCut(f.motion())).count();
        assertTrue(busy >= PAN_FRAMES / 2, "pan frames with motion at or above the rule: " + busy + "\n" + on.table);
        // ... the slide check keeps them one scene: each person one track, every frame tracked.
        assertEquals(0.0, on.cuts, "scene cuts counted in a pan:\n" + on.table);
        assertEquals(0, on.switches(), on.table.toString());
        for (int person = 0; person < people.size(); person++) {
            assertEquals(1, on.tracksOf.getOrDefault(person, Set.of()).size(),
                    "person " + person + " tracks " + on.tracksOf.get(person) + ":\n" + on.table);
        }
        assertTrue(on.strays == 0, "faces that are nobody's:\n" + on.table);
    }

    private static TrackerConfig withSceneCut(double sceneCut) {
        TrackerConfig d = TrackerConfig.defaults();
        return new TrackerConfig(d.confirmHits(), d.closeAfter(), d.minIou(), d.maxDistance(), d.replayFrames(),
                sceneCut);
    }

    /** Scene A (mosaic 1, people 0 1 2 at the three places), then scene B (mosaic 2, people 1 2 0), drifting. */
    private static List<Observed> cutVideo() {
        List<Observed> out = new ArrayList<>();
        try (MotionMeter motion = new MotionMeter(IngestConfig.Motion.DEFAULT_CELL_THRESHOLD);
             Mat first = mosaic(WIDTH, HEIGHT, 1); Mat second = mosaic(WIDTH, HEIGHT, 2)) {
            for (int f = 0; f < 2 * FRAMES_PER_SCENE; f++) {
                boolean afterCut = f >= FRAMES_PER_SCENE;
                int drift = 3 * (f % FRAMES_PER_SCENE); // people shift their weight: a few pixels per frame
                try (Mat frame = (afterCut ? second : first).clone()) {
                    int[][] at = new int[people.size()][];
                    for (int place = 0; place < PLACES.length; place++) {
                        int person = afterCut ? (place + 1) % people.size() : place;
                        at[person] = new int[]{PLACES[place][0] + drift, PLACES[place][1]};
                        paste(frame, people.get(person), at[person][0], at[person][1]);
                    }
                    out.add(observe(f, motion, frame, at));
                }
            }
        }
        return out;
    }

    /** A camera panning right over a wide mosaic: person 1 stands, people 0 and 2 walk right slower than the pan. */
    private static List<Observed> panVideo() {
        List<Observed> out = new ArrayList<>();
        int worldWidth = WIDTH + PAN_STEP * PAN_FRAMES;
        try (MotionMeter motion = new MotionMeter(IngestConfig.Motion.DEFAULT_CELL_THRESHOLD);
             Mat world = mosaic(worldWidth, HEIGHT, 3)) {
            for (int f = 0; f < PAN_FRAMES; f++) {
                int camera = PAN_STEP * f;
                int[][] worldAt = {{420 + 50 * f, 20}, {475, 200}, {150 + 60 * f, 20}};
                try (Mat scene = world.clone()) {
                    int[][] at = new int[people.size()][];
                    for (int p = 0; p < people.size(); p++) {
                        paste(scene, people.get(p), worldAt[p][0], worldAt[p][1]);
                        at[p] = new int[]{worldAt[p][0] - camera, worldAt[p][1]};
                    }
                    try (Rect view = new Rect(camera, 0, WIDTH, HEIGHT); Mat frame = new Mat(scene, view).clone()) {
                        out.add(observe(f, motion, frame, at));
                    }
                }
            }
        }
        return out;
    }

    /** What ingest and the detector make of one frame, each face attributed to the person pasted under it. */
    private static Observed observe(int f, MotionMeter motion, Mat frame, int[][] at) {
        float changed = motion.measure(frame);
        List<DetectedFace> faces = detector.detect(frame);
        int[] who = new int[faces.size()];
        for (int i = 0; i < faces.size(); i++) {
            DetectedFace face = faces.get(i);
            double cx = (face.x1() + face.x2()) / 2;
            double cy = (face.y1() + face.y2()) / 2;
            who[i] = -1;
            for (int p = 0; p < at.length; p++) {
                if (Math.hypot(cx - at[p][0] - PATCH / 2.0, cy - at[p][1] - PATCH / 2.0) < PATCH / 2.0) {
                    who[i] = p;
                }
            }
        }
        return new Observed(f * FRAME_MILLIS, changed, SceneThumbnail.of(frame), faces, who);
    }

    private static Trace trace(List<Observed> video, TrackerConfig config) {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        FaceTracker tracker = new FaceTracker(config, metrics);
        Trace t = new Trace();
        int sequence = 0;
        for (Observed f : video) {
            List<TrackAssignment> tracks = tracker.assign("door", sequence++, T0.plusMillis(f.millis()), f.motion(),
                    f.picture(), f.faces());
            t.table.append(String.format(Locale.ROOT, "%4.1f s  motion %.2f ", f.millis() / 1000.0, f.motion()));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < f.faces().size(); i++) {
                String id = tracks.get(i).trackId();
                DetectedFace face = f.faces().get(i);
                t.table.append(String.format(Locale.ROOT, " [%3.0f,%3.0f person %d -> T%s]", face.x1(), face.y1(),
                        f.who()[i], id.substring(id.lastIndexOf('/') + 1)));
                ids.add(id);
                if (f.who()[i] < 0) {
                    t.strays++;
                    continue;
                }
                t.tracksOf.computeIfAbsent(f.who()[i], k -> new LinkedHashSet<>()).add(id);
                t.peopleOf.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(f.who()[i]);
            }
            t.frameTracks.add(ids);
            t.table.append('\n');
        }
        t.cuts = metrics.counter("vap.detector.scene.cuts", "service", "detector").count();
        return t;
    }

    /** What the tracker made of a video, attributed to the script. */
    private static final class Trace {
        final StringBuilder table = new StringBuilder();
        final List<List<String>> frameTracks = new ArrayList<>();
        final Map<Integer, Set<String>> tracksOf = new LinkedHashMap<>();
        final Map<String, Set<Integer>> peopleOf = new LinkedHashMap<>();
        int strays;
        double cuts;

        Set<String> tracksBetween(int from, int to) {
            Set<String> out = new LinkedHashSet<>();
            frameTracks.subList(from, to).forEach(out::addAll);
            return out;
        }

        int switches() {
            return peopleOf.values().stream().mapToInt(p -> p.size() - 1).sum();
        }
    }

    private static void paste(Mat frame, Mat patch, int x, int y) {
        try (Rect where = new Rect(x, y, PATCH, PATCH); Mat target = new Mat(frame, where)) {
            patch.copyTo(target);
        }
    }

    /** Filled circles of every grey and colour on a coloured ground: structure in every thumbnail cell, no faces. */
    private static Mat mosaic(int width, int height, long seed) {
        Random rnd = new Random(seed);
        Mat m = new Mat(height, width, CV_8UC3, new Scalar(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256), 0));
        for (int i = 0; i < width * height / 1500; i++) {
            try (Scalar c = new Scalar(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256), 0);
                 Point centre = new Point(rnd.nextInt(width), rnd.nextInt(height))) {
                circle(m, centre, 6 + rnd.nextInt(30), c, -1, 8, 0);
            }
        }
        return m;
    }
}
