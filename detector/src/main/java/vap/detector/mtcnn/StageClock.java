package vap.detector.mtcnn;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where a detector's time goes, summed over every call (and every thread) since the last {@link #reset()}:
 * nanoseconds per cascade stage plus how many candidates each stage saw. Recording is a few LongAdder
 * increments per stage and call, cheap enough to leave on in production; the bench prints it.
 */
public final class StageClock {

    public enum Stage {
        /** Shrinking inputs larger than maxImageSide. */
        DOWNSCALE,
        /** Resizing every pyramid level and packing it into the P-Net input. */
        PYRAMID,
        /** P-Net forward passes. */
        PNET,
        /** Reading P-Net maps into candidates, per-scale and cross-scale NMS, regression, squaring. */
        PNET_DECODE,
        /** Cutting, padding and resizing 24 x 24 crops. */
        RNET_CROPS,
        /** R-Net forward passes. */
        RNET,
        /** Cutting, padding and resizing 48 x 48 crops. */
        ONET_CROPS,
        /** O-Net forward passes. */
        ONET,
        /** Thresholds, NMS and regression after R-Net and O-Net; landmarks. */
        REFINE
    }

    private final LongAdder[] nanos = new LongAdder[Stage.values().length];
    private final LongAdder frames = new LongAdder();
    private final LongAdder rnetCrops = new LongAdder();
    private final LongAdder onetCrops = new LongAdder();
    private final LongAdder faces = new LongAdder();

    StageClock() {
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = new LongAdder();
        }
    }

    void add(Stage stage, long elapsedNanos) {
        nanos[stage.ordinal()].add(elapsedNanos);
    }

    void count(long frameCount, long rnetCropCount, long onetCropCount, long faceCount) {
        frames.add(frameCount);
        rnetCrops.add(rnetCropCount);
        onetCrops.add(onetCropCount);
        faces.add(faceCount);
    }

    public void reset() {
        for (LongAdder a : nanos) {
            a.reset();
        }
        frames.reset();
        rnetCrops.reset();
        onetCrops.reset();
        faces.reset();
    }

    public Snapshot snapshot() {
        long[] n = new long[nanos.length];
        for (int i = 0; i < n.length; i++) {
            n[i] = nanos[i].sum();
        }
        return new Snapshot(frames.sum(), n, rnetCrops.sum(), onetCrops.sum(), faces.sum());
    }

    /** Totals since the last reset; {@code nanos} is indexed by {@link Stage#ordinal()}. */
    public record Snapshot(long frames, long[] nanos, long rnetCrops, long onetCrops, long faces) {

        public long totalNanos() {
            return Arrays.stream(nanos).sum();
        }

        public double millisPerFrame(Stage stage) {
            return frames == 0 ? 0 : nanos[stage.ordinal()] / 1e6 / frames;
        }

        /** One line per stage: ms per frame and share of the total. */
        public String table() {
            StringBuilder sb = new StringBuilder();
            long total = Math.max(1, totalNanos());
            for (Stage s : Stage.values()) {
                sb.append(String.format(Locale.ROOT, "  %-12s %8.2f ms/frame %5.1f%%%n", s.name().toLowerCase(),
                        millisPerFrame(s), 100.0 * nanos[s.ordinal()] / total));
            }
            if (frames > 0) {
                sb.append(String.format(Locale.ROOT, "  per frame: %.1f R-Net crops, %.1f O-Net crops, %.2f faces%n",
                        (double) rnetCrops / frames, (double) onetCrops / frames, (double) faces / frames));
            }
            return sb.toString();
        }
    }
}
