package vap.detector.mtcnn;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import vap.detector.TestPhotos;
import vap.vision.face.DetectedFace;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stage timers a detector records into a registry: every stage timed, frames, crops and faces counted. */
class StageTimesTest {

    @Test
    void recordsEveryStageAndCountsFramesCropsAndFaces() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // With the rotated passes on, so that every stage (ROTATE included) has work.
        MtcnnConfig everyStage = MtcnnConfig.defaults().withRotations(MtcnnConfig.ROLLED_FACES);
        try (MtcnnDetector timed = new MtcnnDetector(everyStage, registry);
             MtcnnDetector untimed = new MtcnnDetector(everyStage);
             Mat sample1 = TestPhotos.sample(1, 800); Mat sample2 = TestPhotos.sample(2, 800)) {
            // 1. One frame: every stage but the (unneeded) downscale took time; counts match the result.
            List<DetectedFace> first = timed.detect(sample1);
            StageTimes afterFirst = StageTimes.of(registry);
            assertEquals(1, afterFirst.frames());
            assertEquals(first.size(), afterFirst.faces());
            assertTrue(afterFirst.rnetCrops() >= afterFirst.onetCrops() && afterFirst.onetCrops() >= first.size(),
                    afterFirst.table());
            for (CascadeStage s : CascadeStage.values()) {
                if (s != CascadeStage.DOWNSCALE) {
                    assertTrue(afterFirst.nanos()[s.ordinal()] > 0, s + " not timed:\n" + afterFirst.table());
                }
            }
            assertEquals(afterFirst.totalNanos() / 1e6, sum(afterFirst), 1e-6);

            // 2. A batch of two: the interval since the first snapshot holds exactly that call.
            List<List<DetectedFace>> batch = timed.detectBatch(List.of(sample1, sample2));
            StageTimes interval = StageTimes.of(registry).minus(afterFirst);
            assertEquals(2, interval.frames());
            assertEquals(batch.get(0).size() + batch.get(1).size(), interval.faces());
            assertTrue(interval.nanos()[CascadeStage.PNET.ordinal()] > 0);

            // 3. Timing changes nothing: a detector without a registry finds the same faces.
            assertEquals(first, untimed.detect(sample1));
            assertEquals(batch, untimed.detectBatch(List.of(sample1, sample2)));

        }
    }

    private static double sum(StageTimes t) {
        double ms = 0;
        for (CascadeStage s : CascadeStage.values()) {
            ms += t.millisPerFrame(s) * t.frames();
        }
        return ms;
    }
}
