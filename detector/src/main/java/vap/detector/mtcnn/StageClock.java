package vap.detector.mtcnn;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Transitional: keeps {@code DetectBenchCommand} compiling, unchanged, until it moves to the bench module and
 * reads {@link StageTimes} from a registry of its own (issue 9). A view over the detector's stage timers, not a
 * clock: {@link #reset()} takes a baseline, {@link #snapshot()} the difference since.
 *
 * @deprecated use {@link MtcnnDetector#MtcnnDetector(MtcnnConfig, io.micrometer.core.instrument.MeterRegistry)}
 *     and {@link StageTimes#of}; remove with the bench's move.
 */
@Deprecated(forRemoval = true)
public final class StageClock {
    private final SimpleMeterRegistry registry;
    private volatile StageTimes baseline;

    StageClock(SimpleMeterRegistry registry) {
        this.registry = registry;
        this.baseline = StageTimes.of(registry);
    }

    public void reset() {
        baseline = StageTimes.of(registry);
    }

    public Snapshot snapshot() {
        return new Snapshot(StageTimes.of(registry).minus(baseline));
    }

    /** The stage figures since the last reset. */
    public record Snapshot(StageTimes times) {
        public String table() {
            return times.table();
        }
    }
}
