package vap.detector.mtcnn;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Where a detector's time went: the totals of its stage timers and counters in a registry (see
 * {@link MtcnnDetector#MtcnnDetector(MtcnnConfig, MeterRegistry)}), summed over every call and thread.
 * Micrometer meters do not reset; {@link #minus} gives the figures of an interval (e.g. after a warm-up).
 *
 * @param nanos indexed by {@link CascadeStage#ordinal()}
 */
public record StageTimes(long frames, long[] nanos, long rnetCrops, long onetCrops, long faces) {

    /** The totals in {@code registry} now; zeros where the detector has recorded nothing (yet). */
    public static StageTimes of(MeterRegistry registry) {
        long[] n = new long[CascadeStage.values().length];
        for (CascadeStage s : CascadeStage.values()) {
            Timer t = registry.find(CascadeTimers.STAGE_TIMER).tag("stage", s.tag()).timer();
            n[s.ordinal()] = t == null ? 0 : (long) t.totalTime(TimeUnit.NANOSECONDS);
        }
        return new StageTimes(count(registry, CascadeTimers.FRAMES, null), n,
                count(registry, CascadeTimers.CROPS, "rnet"), count(registry, CascadeTimers.CROPS, "onet"),
                count(registry, CascadeTimers.FACES, null));
    }

    private static long count(MeterRegistry registry, String name, String network) {
        var search = registry.find(name);
        Counter c = (network == null ? search : search.tag("network", network)).counter();
        return c == null ? 0 : (long) c.count();
    }

    /** The figures of the interval since {@code earlier} was taken from the same registry. */
    public StageTimes minus(StageTimes earlier) {
        long[] n = new long[nanos.length];
        for (int i = 0; i < n.length; i++) {
            n[i] = nanos[i] - earlier.nanos[i];
        }
        return new StageTimes(frames - earlier.frames, n, rnetCrops - earlier.rnetCrops,
                onetCrops - earlier.onetCrops, faces - earlier.faces);
    }

    public long totalNanos() {
        return Arrays.stream(nanos).sum();
    }

    public double millisPerFrame(CascadeStage stage) {
        return frames == 0 ? 0 : nanos[stage.ordinal()] / 1e6 / frames;
    }

    /** One line per stage: ms per frame and share of the total; then crops and faces per frame. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        long total = Math.max(1, totalNanos());
        for (CascadeStage s : CascadeStage.values()) {
            sb.append(String.format(Locale.ROOT, "  %-12s %8.2f ms/frame %5.1f%%%n", s.tag(),
                    millisPerFrame(s), 100.0 * nanos[s.ordinal()] / total));
        }
        if (frames > 0) {
            sb.append(String.format(Locale.ROOT, "  per frame: %.1f R-Net crops, %.1f O-Net crops, %.2f faces%n",
                    (double) rnetCrops / frames, (double) onetCrops / frames, (double) faces / frames));
        }
        return sb.toString();
    }
}
