package vap.ingest.decode;

/**
 * Chooses which decoded frames are published so that a camera sends at most its target fps, evenly spaced:
 * a frame is taken when its time reaches the next slot (less a little tolerance for jitter), and slots are one
 * interval apart, so the average rate is exactly the target when the source is faster. Times are
 * microseconds on any clock that increases with the video (arrival time for live sources, presentation
 * time for files decoded faster than real time). A jump backwards or a gap of more than {@link #RESYNC_GAP_US}
 * (reconnect, file loop) restarts the slots, so no burst of frames follows a pause.
 */
public final class FrameSampler {
    public static final long RESYNC_GAP_US = 5_000_000;

    private final long intervalUs;
    private long next = Long.MIN_VALUE;
    private long last = Long.MIN_VALUE;
    private long sourceIntervalUs; // smoothed spacing of the source's frames, 0 until known

    public FrameSampler(double fps) {
        if (!(fps > 0)) {
            throw new IllegalArgumentException("fps must be positive, got " + fps);
        }
        this.intervalUs = Math.round(1_000_000 / fps);
    }

    /** Whether the frame at {@code timeUs} is to be published. */
    public boolean accept(long timeUs) {
        if (last == Long.MIN_VALUE || timeUs < last || timeUs - last > RESYNC_GAP_US) {
            next = timeUs;
        } else if (timeUs > last) {
            long d = timeUs - last;
            sourceIntervalUs = sourceIntervalUs == 0 ? d : sourceIntervalUs + (d - sourceIntervalUs) / 8;
        }
        last = timeUs;
        // Arrival times jitter: a frame a little early for its slot still fills it (else 25 of 25 fps would lose
        // half), but never one a whole source frame early, which would shorten the interval.
        long tolerance = Math.min(intervalUs / 4, sourceIntervalUs / 2);
        if (timeUs < next - tolerance) {
            return false;
        }
        // Slots stay on the grid while frames keep up; after a late frame, the grid restarts from it.
        next += intervalUs;
        if (next <= timeUs) {
            next = timeUs + intervalUs;
        }
        return true;
    }

    /** Forget the past (a new connection or a file loop). */
    public void reset() {
        next = Long.MIN_VALUE;
        last = Long.MIN_VALUE;
        sourceIntervalUs = 0;
    }
}
