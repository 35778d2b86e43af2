package vap.detector.service;

import vap.core.config.ConfigException;
import vap.core.config.Settings;

import java.time.Duration;

/**
 * When the detector may skip a frame of a static scene (keys {@code detector.motion.*}, README "Motion gating").
 *
 * @param enabled          false: every frame is detected
 * @param threshold        a frame whose motion (share of changed thumbnail cells, set by ingest) is at least this
 *                         is detected
 * @param idleInterval     while the camera has an open track, a static frame is still detected this often (capture
 *                         time), so a face that stopped moving keeps its track
 * @param keyframeInterval a static camera is detected at least this often, so a face that appears without moving
 *                         much (or too slowly to change a cell) is found eventually
 */
public record MotionGateConfig(boolean enabled, double threshold, Duration idleInterval, Duration keyframeInterval) {

    public static final double DEFAULT_THRESHOLD = 0.002;
    public static final Duration DEFAULT_IDLE_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_KEYFRAME_INTERVAL = Duration.ofSeconds(5);

    public MotionGateConfig {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new ConfigException("detector.motion.threshold must lie in 0..1 (a share of the picture), got " + threshold);
        }
        if (idleInterval == null || idleInterval.isNegative() || idleInterval.isZero()) {
            throw new ConfigException("detector.motion.idle.interval must be a positive duration, got " + idleInterval);
        }
        if (keyframeInterval == null || keyframeInterval.compareTo(idleInterval) < 0) {
            throw new ConfigException("detector.motion.keyframe.interval must be at least detector.motion.idle.interval ("
                    + idleInterval + "), got " + keyframeInterval);
        }
    }

    public static MotionGateConfig defaults() {
        return new MotionGateConfig(true, DEFAULT_THRESHOLD, DEFAULT_IDLE_INTERVAL, DEFAULT_KEYFRAME_INTERVAL);
    }

    public static MotionGateConfig from(Settings s) {
        return new MotionGateConfig(
                s.bool("detector.motion.gating", true),
                s.number("detector.motion.threshold", DEFAULT_THRESHOLD),
                s.duration("detector.motion.idle.interval", DEFAULT_IDLE_INTERVAL),
                s.duration("detector.motion.keyframe.interval", DEFAULT_KEYFRAME_INTERVAL));
    }
}
