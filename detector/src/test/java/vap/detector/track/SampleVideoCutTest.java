package vap.detector.track;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vap.detector.mtcnn.MtcnnConfig;
import vap.detector.mtcnn.MtcnnDetector;
import vap.detector.track.SampleVideo.SampledFrame;
import vap.vision.face.DetectedFace;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tracker on {@code vap run}'s sample camera (see {@link SampleVideo}): four photos, 6 s each, hard cuts
 * between them, sampled at 2 fps. Without the scene-cut rule the faces of the scene after a cut sit close enough
 * to the faces before it that tracks carry over, and two appearances become one; with it every track lives in one
 * scene. Prints the per-frame trace (time, scene, motion, each face's box and track).
 */
class SampleVideoCutTest {
    private static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");
    /** One loop of the video and the first frame of the next, so all four cuts (the loop's too) are in it. */
    private static final double SECONDS = 24.5;

    private static MtcnnDetector detector;
    private static List<SampledFrame> frames;

    @BeforeAll
    static void detect() {
        // Minimum face 40 px as vap run (SamplePipeline.settings): the sample camera's faces are larger.
        detector = new MtcnnDetector(MtcnnConfig.defaults().withMinFaceSize(40).withLargeFaces(false));
        frames = SampleVideo.run(detector, SECONDS);
    }

    @AfterAll
    static void close() {
        detector.close();
    }

    @Test
    void withoutTheRuleATrackIsCarriedAcrossACut() {
        Trace off = trace(new TrackerConfig(2, TrackerConfig.DEFAULT_CLOSE_AFTER, TrackerConfig.DEFAULT_MIN_IOU,
                TrackerConfig.DEFAULT_MAX_DISTANCE, 0, 0));
        System.out.println("sample video, scene-cut off:\n" + off.table);
        // The finding that made the rule: the counting below would see a carried track, so the next test can fail.
        assertTrue(off.tracksAcrossCuts() >= 1, "no track spans a cut even without the rule:\n" + off.table);
    }

    @Test
    void withTheRuleEveryTrackLivesInOneSceneAndEachSceneKeepsItsTracks() {
        Trace on = trace(TrackerConfig.defaults());
        System.out.println("sample video, scene-cut " + TrackerConfig.DEFAULT_SCENE_CUT + ":\n" + on.table);
        assertEquals(0, on.tracksAcrossCuts(), "tracks spanning a cut:\n" + on.table);
        // Every cut is seen as one (motion above the rule, the picture no slide of the one before), nothing else is.
        TrackerConfig rule = TrackerConfig.defaults();
        for (int i = 1; i < frames.size(); i++) {
            SampledFrame f = frames.get(i);
            SampledFrame before = frames.get(i - 1);
            boolean taken = rule.motionMayCut(f.motion()) && !f.picture().sameSceneAs(before.picture());
            assertEquals(f.afterCut(before), taken, "frame at " + f.millis() + " ms:\n" + on.table);
        }
        // Within a scene the slow push-in keeps each face on one track (sample2's turned faces come and go for
        // longer than close.after, so only the scenes of sample1 and sample5, run scenes 1 to 3, are counted).
        for (int scene = 1; scene <= 3; scene++) {
            assertEquals(on.facesPerScene.get(scene), on.tracksPerScene.get(scene).size(),
                    "scene " + scene + " tracks " + on.tracksPerScene.get(scene) + ":\n" + on.table);
        }
    }

    private static Trace trace(TrackerConfig config) {
        FaceTracker tracker = new FaceTracker(config, new SimpleMeterRegistry());
        Trace t = new Trace();
        int sequence = 0;
        int scene = -1;
        SampledFrame previous = null;
        for (SampledFrame f : frames) {
            if (f.afterCut(previous)) {
                scene++;
                t.table.append(String.format(Locale.ROOT, "---- cut: scene %d (sample%d.jpg)%n", scene,
                        SampleVideo.SCENES[f.scene()]));
            }
            List<TrackAssignment> tracks = tracker.assign("sample", sequence++, T0.plusMillis(f.millis()), f.motion(),
                    f.picture(), f.faces());
            t.table.append(String.format(Locale.ROOT, "%5.1f s  motion %.2f  corr %5.2f ", f.millis() / 1000.0,
                    f.motion(), previous == null ? -1.0 : f.picture().bestCorrelation(previous.picture())));
            for (int i = 0; i < f.faces().size(); i++) {
                DetectedFace face = f.faces().get(i);
                String id = tracks.get(i).trackId();
                String track = id.substring(id.lastIndexOf('/') + 1);
                t.table.append(String.format(Locale.ROOT, " [%4.0f,%4.0f %3.0fpx -> T%s]", face.x1(), face.y1(),
                        face.width(), track));
                t.scenesOf.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(scene);
                t.tracksPerScene.computeIfAbsent(scene, k -> new LinkedHashSet<>()).add(id);
            }
            t.facesPerScene.merge(scene, f.faces().size(), Math::max);
            t.table.append('\n');
            previous = f;
        }
        return t;
    }

    /** What a tracker made of the video: which scenes (counted from 0 over the run) each track was seen in. */
    private static final class Trace {
        final StringBuilder table = new StringBuilder();
        final Map<String, Set<Integer>> scenesOf = new LinkedHashMap<>();
        final Map<Integer, Set<String>> tracksPerScene = new LinkedHashMap<>();
        final Map<Integer, Integer> facesPerScene = new LinkedHashMap<>();

        long tracksAcrossCuts() {
            return scenesOf.values().stream().filter(s -> s.size() > 1).count();
        }
    }
}
