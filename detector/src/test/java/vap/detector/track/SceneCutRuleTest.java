package vap.detector.track;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.junit.jupiter.api.Test;
import vap.core.config.ConfigException;
import vap.core.config.Settings;
import vap.detector.TestPhotos;
import vap.vision.face.DetectedFace;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vap.detector.track.FaceTrackerTest.face;

/** The scene-cut rule without a detector: its setting, the slide check on real photos, the tracker's reaction. */
class SceneCutRuleTest {
    private static final Instant T0 = Instant.parse("2026-11-30T01:00:00Z");

    @Test
    void theSettingIsAShareOfThePictureWithZeroOrOneForOff() {
        assertEquals(TrackerConfig.DEFAULT_SCENE_CUT, TrackerConfig.from(Settings.of(Map.of())).sceneCut());
        assertEquals(0.75, TrackerConfig.from(Settings.of(Map.of("detector.track.scene-cut", "0.75"))).sceneCut());
        ConfigException e = assertThrows(ConfigException.class,
                () -> TrackerConfig.from(Settings.of(Map.of("detector.track.scene-cut", "1.5"))));
        assertTrue(e.getMessage().contains("detector.track.scene-cut"), e.getMessage());
        assertThrows(ConfigException.class,
                () -> TrackerConfig.from(Settings.of(Map.of("detector.track.scene-cut", "-0.1"))));
        assertTrue(TrackerConfig.defaults().motionMayCut(0.9f));
        assertFalse(TrackerConfig.defaults().motionMayCut(0.3f));
        assertFalse(TrackerConfig.defaults().motionMayCut(null), "a frame without a motion measure is never a cut");
        assertFalse(config(0).motionMayCut(1.0f));
        assertFalse(config(1).motionMayCut(1.0f));
    }

    @Test
    void aPhotoSlidByAFractionOfACellOrRelitIsTheSameSceneAnotherPhotoIsNot() {
        try (Mat wide = TestPhotos.sample(3, 1400)) {
            SceneThumbnail first = SceneThumbnail.of(view(wide, 0));
            for (int step : new int[]{7, 53, 101, 233}) { // cells are 15 px: none a whole number of cells
                double c = SceneThumbnail.of(view(wide, step)).bestCorrelation(first);
                assertTrue(c >= 0.9, "panned by " + step + " px: correlation " + c);
            }
            try (Mat darker = new Mat()) {
                view(wide, 53).convertTo(darker, -1, 0.6, 10); // the lights dimmed as the camera moved
                assertTrue(SceneThumbnail.of(darker).sameSceneAs(first));
            }
            for (int other : new int[]{1, 2, 4, 5, 6}) {
                try (Mat photo = TestPhotos.sample(other, 1400)) {
                    double c = SceneThumbnail.of(view(photo, 0)).bestCorrelation(first);
                    assertTrue(c < SceneThumbnail.SAME_SCENE_CORRELATION, "sample" + other + " vs sample3: " + c);
                }
            }
        }
        try (Mat grey = new Mat(540, 960, CV_8UC3, new org.bytedeco.opencv.opencv_core.Scalar(90, 90, 90, 0));
             Mat photo = TestPhotos.sample(1, 960)) {
            assertFalse(SceneThumbnail.of(grey).sameSceneAs(SceneThumbnail.of(view(photo, 0))),
                    "a flat picture has nothing to match: another scene");
        }
    }

    @Test
    void aCutClosesTheCameraTracksAndAPanDoesNot() {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        FaceTracker tracker = new FaceTracker(TrackerConfig.defaults(), metrics);
        try (Mat wide = TestPhotos.sample(5, 1400); Mat other = TestPhotos.sample(2, 1400)) {
            SceneThumbnail a = SceneThumbnail.of(view(wide, 0));
            String first = track(tracker, 1, 0.0f, a, face(300, 200, 80));
            assertEquals(first, track(tracker, 2, 0.05f, a, face(305, 200, 80)));
            // Motion as high as a cut, but the picture is the old one slid 101 px: the same track.
            SceneThumbnail panned = SceneThumbnail.of(view(wide, 101));
            assertEquals(first, track(tracker, 3, 0.9f, panned, face(310, 200, 80)));
            // A cut to another photo, the face at the same place: a new track, the old one closed.
            String afterCut = track(tracker, 4, 0.9f, SceneThumbnail.of(view(other, 0)), face(312, 200, 80));
            assertNotEquals(first, afterCut);
            assertEquals(1, tracker.openTracks("door"));
            // The frame re-read (a failed batch) gets its first answer again, and cuts nothing more.
            assertEquals(afterCut, track(tracker, 4, 0.9f, SceneThumbnail.of(view(other, 0)), face(312, 200, 80)));
            // A caller without pictures: motion alone decides.
            assertNotEquals(afterCut, track(tracker, 5, 0.9f, null, face(312, 200, 80)));
        }
        assertEquals(2.0, metrics.get("vap.detector.scene.cuts").counter().count());
        assertEquals(2.0, metrics.get("vap.detector.tracks").tag("event", "closed_at_cut").counter().count());
        assertEquals(2.0, metrics.get("vap.detector.tracks").tag("event", "closed").counter().count());
    }

    @Test
    void offOrUnmeasuredTheRuleNeverCloses() {
        for (TrackerConfig config : List.of(config(0), config(1))) {
            FaceTracker tracker = new FaceTracker(config, new SimpleMeterRegistry());
            String first = track(tracker, 1, 1.0f, null, face(300, 200, 80));
            assertEquals(first, track(tracker, 2, 1.0f, null, face(302, 200, 80)), "scene-cut " + config.sceneCut());
        }
        FaceTracker tracker = new FaceTracker(TrackerConfig.defaults(), new SimpleMeterRegistry());
        String first = track(tracker, 1, null, null, face(300, 200, 80));
        assertEquals(first, track(tracker, 2, null, null, face(302, 200, 80)), "no motion measure");
    }

    private static String track(FaceTracker tracker, long sequence, Float motion, SceneThumbnail picture,
                                DetectedFace face) {
        return tracker.assign("door", sequence, T0.plusMillis(500 * sequence), motion, picture, List.of(face))
                .get(0).trackId();
    }

    private static TrackerConfig config(double sceneCut) {
        TrackerConfig d = TrackerConfig.defaults();
        return new TrackerConfig(d.confirmHits(), d.closeAfter(), d.minIou(), d.maxDistance(), d.replayFrames(),
                sceneCut);
    }

    /** A 960 x 540 camera view of {@code photo} starting {@code x} px from its left edge. */
    private static Mat view(Mat photo, int x) {
        try (Rect r = new Rect(x, 0, 960, 540); Mat v = new Mat(photo, r)) {
            return v.clone();
        }
    }
}
