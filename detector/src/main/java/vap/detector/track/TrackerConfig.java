package vap.detector.track;

import vap.core.config.ConfigException;
import vap.core.config.Settings;

import java.time.Duration;

/**
 * The face tracker's settings (keys {@code detector.track.*}, README "Configuration").
 *
 * @param confirmHits  detections after which a track is confirmed: confirmed tracks are associated before tentative ones
 * @param closeAfter   a track unseen for this long in EVENT time (frames' capture timestamps) is closed
 * @param minIou       a face may continue a track if its box overlaps the track's predicted box at least this much...
 * @param maxDistance  ...or if its centre lies within this many face widths of the predicted centre
 * @param replayFrames frames per camera whose track assignments are remembered, so a re-read batch gets the same ids
 * @param sceneCut     a frame whose motion (ingest's share of changed thumbnail cells since the camera's previous
 *                     published frame) is at least this, and whose picture is not the previous one slid
 *                     ({@link SceneThumbnail}), is a new scene (a hard cut, another camera on the feed): the
 *                     camera's open tracks close and its faces open new ones; 0 or 1: off
 */
public record TrackerConfig(int confirmHits, Duration closeAfter, double minIou, double maxDistance, int replayFrames,
                            double sceneCut) {

    public static final int DEFAULT_CONFIRM_HITS = 2;
    public static final Duration DEFAULT_CLOSE_AFTER = Duration.ofSeconds(2);
    public static final double DEFAULT_MIN_IOU = 0.2;
    public static final double DEFAULT_MAX_DISTANCE = 1.0;
    public static final int DEFAULT_REPLAY_FRAMES = 256;
    /** Well below the sample video's cuts (0.85 to 0.87), for cuts between alike scenes; pans: SceneThumbnail. */
    public static final double DEFAULT_SCENE_CUT = 0.6;

    public TrackerConfig {
        if (confirmHits < 1) {
            throw new ConfigException("detector.track.confirm.hits must be at least 1, got " + confirmHits);
        }
        if (closeAfter == null || closeAfter.isNegative() || closeAfter.isZero()) {
            throw new ConfigException("detector.track.close.after must be a positive duration, got " + closeAfter);
        }
        if (!(minIou > 0 && minIou <= 1)) {
            throw new ConfigException("detector.track.match.iou must lie in (0, 1], got " + minIou);
        }
        if (!(maxDistance >= 0 && maxDistance <= 10)) {
            throw new ConfigException("detector.track.match.distance must lie in 0..10 face widths, got " + maxDistance);
        }
        if (replayFrames < 0) {
            throw new ConfigException("detector.track.replay.frames must be 0 or more, got " + replayFrames);
        }
        if (!(sceneCut >= 0 && sceneCut <= 1)) {
            throw new ConfigException("detector.track.scene-cut must lie in 0..1 (a share of the picture; 0 or 1: off), "
                    + "got " + sceneCut);
        }
    }

    /** The settings with the default scene-cut rule. */
    public TrackerConfig(int confirmHits, Duration closeAfter, double minIou, double maxDistance, int replayFrames) {
        this(confirmHits, closeAfter, minIou, maxDistance, replayFrames, DEFAULT_SCENE_CUT);
    }

    /** Whether the scene-cut rule is on (0 and 1 turn it off). */
    public boolean sceneCutOn() {
        return sceneCut > 0 && sceneCut < 1;
    }

    /** Whether a frame with motion {@code motion} (null: not measured) may be a new scene (SceneThumbnail decides). */
    public boolean motionMayCut(Float motion) {
        return sceneCutOn() && motion != null && motion >= sceneCut;
    }

    public static TrackerConfig defaults() {
        return new TrackerConfig(DEFAULT_CONFIRM_HITS, DEFAULT_CLOSE_AFTER, DEFAULT_MIN_IOU, DEFAULT_MAX_DISTANCE,
                DEFAULT_REPLAY_FRAMES, DEFAULT_SCENE_CUT);
    }

    public static TrackerConfig from(Settings s) {
        return new TrackerConfig(
                s.integer("detector.track.confirm.hits", DEFAULT_CONFIRM_HITS),
                s.duration("detector.track.close.after", DEFAULT_CLOSE_AFTER),
                s.number("detector.track.match.iou", DEFAULT_MIN_IOU),
                s.number("detector.track.match.distance", DEFAULT_MAX_DISTANCE),
                s.integer("detector.track.replay.frames", DEFAULT_REPLAY_FRAMES),
                s.number("detector.track.scene-cut", DEFAULT_SCENE_CUT));
    }
}
