package vap.detector.quality;

import vap.core.config.ConfigException;
import vap.core.config.Settings;

/**
 * How face quality is scored (keys {@code detector.quality.*}, detector/README.md "Face quality").
 *
 * @param goodEyeDistance  eye distance in frame pixels from which a face counts as full size (size term 1)
 * @param sharpnessScale   variance of the Laplacian that scores sharpness 0.5 (v / (v + scale))
 */
public record QualityConfig(double goodEyeDistance, double sharpnessScale) {
    public static final double DEFAULT_GOOD_EYE_DISTANCE = 40;
    public static final double DEFAULT_SHARPNESS_SCALE = 20;

    public QualityConfig {
        if (!(goodEyeDistance > 0 && goodEyeDistance <= 1000)) {
            throw new ConfigException("detector.quality.eye.distance must lie in (0, 1000] pixels, got "
                    + goodEyeDistance);
        }
        if (!(sharpnessScale > 0 && sharpnessScale <= 100_000)) {
            throw new ConfigException("detector.quality.sharpness.scale must lie in (0, 100000], got "
                    + sharpnessScale);
        }
    }

    public static QualityConfig defaults() {
        return new QualityConfig(DEFAULT_GOOD_EYE_DISTANCE, DEFAULT_SHARPNESS_SCALE);
    }

    public static QualityConfig from(Settings s) {
        return new QualityConfig(s.number("detector.quality.eye.distance", DEFAULT_GOOD_EYE_DISTANCE),
                s.number("detector.quality.sharpness.scale", DEFAULT_SHARPNESS_SCALE));
    }
}
