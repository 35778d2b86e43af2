package vap.detector.service;

import org.junit.jupiter.api.Test;
import vap.core.config.ConfigException;
import vap.core.config.Settings;
import vap.detector.mtcnn.ChannelOrder;
import vap.detector.mtcnn.MtcnnConfig;
import vap.detector.quality.QualityConfig;
import vap.detector.track.TrackerConfig;

import java.time.Duration;
import java.util.List;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's configuration table, key by key. */
class DetectorConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        DetectorConfig c = DetectorConfig.from(Settings.empty());
        assertEquals(MtcnnConfig.defaults(), c.mtcnn());
        assertEquals(20, c.mtcnn().minFaceSize());
        assertTrue(c.mtcnn().largeFaces());
        assertEquals(List.of(0.0), c.mtcnn().rotations());
        assertEquals(40, c.mtcnn().rotationMinFaceSize());
        assertEquals(8, c.batchSize());
        assertEquals(1, c.threads());
        assertEquals(1, c.intraOpThreads());
        assertEquals("vap-detector", c.groupId());
        assertEquals(95, c.jpegQuality());
        assertEquals("vap.frames", c.topics().frames());
        assertEquals(new TrackerConfig(2, Duration.ofSeconds(2), 0.2, 1.0, 256), c.track());
        assertEquals(new QualityConfig(40, 20), c.quality());
        assertEquals(new MotionGateConfig(true, 0.002, Duration.ofSeconds(1), Duration.ofSeconds(5)), c.motion());
    }

    @Test
    void motionGatingKeysAreReadAndAnIdleRateThatWouldCloseTracksIsRefused() {
        DetectorConfig c = DetectorConfig.from(Settings.of(Map.of("detector.motion.gating", "false",
                "detector.motion.threshold", "0.01", "detector.motion.idle.interval", "500ms",
                "detector.motion.keyframe.interval", "10s")));
        assertEquals(new MotionGateConfig(false, 0.01, Duration.ofMillis(500), Duration.ofSeconds(10)), c.motion());
        ConfigException e = assertThrows(ConfigException.class, () -> DetectorConfig.from(Settings.of(Map.of(
                "detector.motion.idle.interval", "2s"))));
        assertTrue(e.getMessage().contains("detector.track.close.after"), e.getMessage());
        // Off, the idle rate does not matter.
        DetectorConfig.from(Settings.of(Map.of("detector.motion.gating", "false", "detector.motion.idle.interval", "3s",
                "detector.motion.keyframe.interval", "3s")));
        assertThrows(ConfigException.class, () -> DetectorConfig.from(Settings.of(Map.of("detector.motion.threshold", "1.5"))));
        assertThrows(ConfigException.class, () -> DetectorConfig.from(Settings.of(Map.of(
                "detector.motion.keyframe.interval", "500ms"))));
    }

    @Test
    void everyKeyIsRead() {
        DetectorConfig c = DetectorConfig.from(Settings.of(Map.ofEntries(
                Map.entry("detector.device", "gpu:1"), Map.entry("detector.min.face.size", "40"),
                Map.entry("detector.scale.factor", "0.6"), Map.entry("detector.threshold.pnet", "0.5"),
                Map.entry("detector.threshold.rnet", "0.8"), Map.entry("detector.threshold.onet", "0.9"),
                Map.entry("detector.max.image.side", "1280"), Map.entry("detector.crop.batch", "64"),
                Map.entry("detector.pyramid.batch.pixels", "0"), Map.entry("detector.batch.size", "16"),
                Map.entry("detector.threads", "4"), Map.entry("detector.intraop.threads", "0"),
                Map.entry("detector.group.id", "g"), Map.entry("detector.crop.jpeg.quality", "80"),
                Map.entry("detector.track.confirm.hits", "3"), Map.entry("detector.track.close.after", "1500ms"),
                Map.entry("detector.track.match.iou", "0.3"), Map.entry("detector.track.match.distance", "1.5"),
                Map.entry("detector.track.replay.frames", "64"), Map.entry("detector.quality.eye.distance", "60"),
                Map.entry("detector.quality.sharpness.scale", "250"),
                Map.entry("detector.large.faces", "false"), Map.entry("detector.rotations", "0, -45,20"),
                Map.entry("detector.rotation.min.face.size", "0"), Map.entry("detector.channels", "BGR"),
                Map.entry("topics.prefix", "site1."))));
        assertEquals(new MtcnnConfig(40, 0.6, 0.5f, 0.8f, 0.9f, "gpu:1", 1280, 64, 0, false,
                List.of(0.0, -45.0, 20.0), 0, ChannelOrder.BGR), c.mtcnn());
        assertEquals(16, c.batchSize());
        assertEquals(4, c.threads());
        assertEquals(0, c.intraOpThreads());
        assertEquals("g", c.groupId());
        assertEquals(80, c.jpegQuality());
        assertEquals("site1.frames", c.topics().frames());
        assertEquals(new TrackerConfig(3, Duration.ofMillis(1500), 0.3, 1.5, 64), c.track());
        assertEquals(new QualityConfig(60, 250), c.quality());
    }

    @Test
    void theNetworksGetRgbUnlessBgrIsAskedForAndAnythingElseNamesTheKey() {
        assertEquals(ChannelOrder.RGB, DetectorConfig.from(Settings.of(Map.of())).mtcnn().channels());
        assertEquals(ChannelOrder.BGR,
                DetectorConfig.from(Settings.of(Map.of("detector.channels", "bgr"))).mtcnn().channels());
        ConfigException e = assertThrows(ConfigException.class,
                () -> DetectorConfig.from(Settings.of(Map.of("detector.channels", "rgba"))));
        assertTrue(e.getMessage().contains("detector.channels"), e.getMessage());
    }

    @Test
    void badTrackerAndQualityValuesNameTheKey() {
        for (Map.Entry<String, String> bad : List.of(Map.entry("detector.track.confirm.hits", "0"),
                Map.entry("detector.track.close.after", "0s"), Map.entry("detector.track.match.iou", "0"),
                Map.entry("detector.track.match.distance", "-1"), Map.entry("detector.track.replay.frames", "-1"),
                Map.entry("detector.quality.eye.distance", "0"), Map.entry("detector.quality.sharpness.scale", "-5"))) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> DetectorConfig.from(Settings.of(Map.of(bad.getKey(), bad.getValue()))), bad.toString());
            assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
        }
    }

    @Test
    void badValuesNameTheKey() {
        ConfigException threads = assertThrows(ConfigException.class,
                () -> DetectorConfig.from(Settings.of(Map.of("detector.threads", "0"))));
        assertTrue(threads.getMessage().contains("detector.threads"), threads.getMessage());
        ConfigException scale = assertThrows(ConfigException.class,
                () -> DetectorConfig.from(Settings.of(Map.of("detector.scale.factor", "1.5"))));
        assertTrue(scale.getMessage().contains("scaleFactor"), scale.getMessage());
        ConfigException notANumber = assertThrows(ConfigException.class,
                () -> DetectorConfig.from(Settings.of(Map.of("detector.min.face.size", "big"))));
        assertTrue(notANumber.getMessage().contains("detector.min.face.size"), notANumber.getMessage());
        ConfigException noUpright = assertThrows(ConfigException.class,
                () -> DetectorConfig.from(Settings.of(Map.of("detector.rotations", "-30,30"))));
        assertTrue(noUpright.getMessage().contains("rotations must include 0"), noUpright.getMessage());
        ConfigException notAnAngle = assertThrows(ConfigException.class,
                () -> DetectorConfig.from(Settings.of(Map.of("detector.rotations", "0,left"))));
        assertTrue(notAnAngle.getMessage().contains("detector.rotations"), notAnAngle.getMessage());
    }
}
