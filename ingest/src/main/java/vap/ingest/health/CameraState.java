package vap.ingest.health;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a camera stands (README "Camera health"). Each camera is in exactly one state; {@link #canMoveTo}
 * lists the transitions the decoder may make, so that an impossible one is a bug caught at once.
 */
public enum CameraState {
    /** Opening the source: resolving, connecting, RTSP handshake, reading stream parameters. */
    CONNECTING,
    /** Frames are arriving and being published at up to the camera's fps. */
    STREAMING,
    /** Connected, but no frame for longer than ingest.stall.timeout: the camera went silent. */
    STALLED,
    /** The last attempt failed; waiting (exponential backoff with jitter, capped) before trying again. */
    BACKING_OFF,
    /** The camera's configuration cannot work (bad URL scheme, missing file, unknown key); no retries until it changes. */
    FAILED_CONFIGURATION,
    /** A file without {@code loop} reached its end. */
    FINISHED,
    /** Ingest stopped this camera (removed from the registry, changed, or shut down). */
    STOPPED;

    public boolean canMoveTo(CameraState next) {
        return next == STOPPED ? this != STOPPED : allowed().contains(next);
    }

    private Set<CameraState> allowed() {
        return switch (this) {
            case CONNECTING -> EnumSet.of(STREAMING, BACKING_OFF, FAILED_CONFIGURATION, FINISHED);
            case STREAMING -> EnumSet.of(STALLED, BACKING_OFF, FINISHED);
            case STALLED -> EnumSet.of(STREAMING, BACKING_OFF);
            case BACKING_OFF -> EnumSet.of(CONNECTING);
            case FAILED_CONFIGURATION, FINISHED, STOPPED -> EnumSet.noneOf(CameraState.class);
        };
    }

    /** The state's name as shown in status and metrics: {@code backing_off}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
