package vap.detector.mtcnn;

import java.util.Locale;

/**
 * The steps of the cascade whose time {@link MtcnnDetector} records (Micrometer timer
 * {@value CascadeTimers#STAGE_TIMER}, tag {@code stage} = {@link #tag()}); {@link StageTimes} reads them back.
 */
public enum CascadeStage {
    /** Shrinking inputs larger than maxImageSide. */
    DOWNSCALE,
    /** Resizing every pyramid level and packing it into the P-Net input. */
    PYRAMID,
    /** P-Net forward passes. */
    PNET,
    /** Reading P-Net maps into candidates, per-scale and cross-scale NMS, regression, squaring. */
    PNET_DECODE,
    /** Turning frames for the rotated R-Net/O-Net passes (detector.rotations) and moving candidates onto them. */
    ROTATE,
    /** Cutting, padding and resizing 24 x 24 crops. */
    RNET_CROPS,
    /** R-Net forward passes. */
    RNET,
    /** Cutting, padding and resizing 48 x 48 crops. */
    ONET_CROPS,
    /** O-Net forward passes. */
    ONET,
    /** Thresholds, NMS and regression after R-Net and O-Net; landmarks. */
    REFINE;

    /** The value of the timer's {@code stage} tag, e.g. {@code pnet_decode}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
