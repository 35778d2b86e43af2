package vap.detector.mtcnn;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where the cascade reports its time: one Micrometer timer per {@link CascadeStage} plus counters of frames,
 * crops and faces, in the registry the detector was given. A registry without backends (the default) makes
 * every call a plain invocation of the work.
 */
final class CascadeTimers {
    static final String STAGE_TIMER = "vap.detector.mtcnn.stage";
    static final String FRAMES = "vap.detector.mtcnn.frames";
    static final String CROPS = "vap.detector.mtcnn.crops";
    static final String FACES = "vap.detector.mtcnn.faces";

    private final Map<CascadeStage, Timer> timers = new EnumMap<>(CascadeStage.class);
    private final Counter frames;
    private final Counter rnetCrops;
    private final Counter onetCrops;
    private final Counter faces;

    CascadeTimers(MeterRegistry registry) {
        for (CascadeStage stage : CascadeStage.values()) {
            timers.put(stage, Timer.builder(STAGE_TIMER).tag("stage", stage.tag())
                    .description("time spent in one MTCNN cascade stage").register(registry));
        }
        frames = Counter.builder(FRAMES).description("frames through the MTCNN cascade").register(registry);
        rnetCrops = Counter.builder(CROPS).tag("network", "rnet").description("crops scored").register(registry);
        onetCrops = Counter.builder(CROPS).tag("network", "onet").description("crops scored").register(registry);
        faces = Counter.builder(FACES).description("faces reported by the MTCNN cascade").register(registry);
    }

    <T> T time(CascadeStage stage, Supplier<T> work) {
        return timers.get(stage).record(work);
    }

    void run(CascadeStage stage, Runnable work) {
        timers.get(stage).record(work);
    }

    /** Counts one completed detectBatch call. */
    void countBatch(int frameCount, int rnetCropCount, int onetCropCount, int faceCount) {
        frames.increment(frameCount);
        rnetCrops.increment(rnetCropCount);
        onetCrops.increment(onetCropCount);
        faces.increment(faceCount);
    }
}
