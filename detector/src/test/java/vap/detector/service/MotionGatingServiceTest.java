package vap.detector.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.detector.TestPhotos;
import vap.messages.FaceCrop;
import vap.messages.Frame;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static vap.detector.service.DetectorKafka.frame;
import static vap.detector.service.DetectorKafka.jpeg;

/**
 * Motion gating on the real broker, one camera at 5 fps in capture time: a static scene costs one detection per
 * keyframe interval, people who walk in are detected on every frame, and once they stand still they are still
 * detected at the idle rate, so their tracks stay open (the same ids, hits counting on) although the pause is twice
 * as long as a track may go unseen. Frames without a motion measure are all detected.
 */
class MotionGatingServiceTest {
    private static final float MOVING = 0.05f;
    private static final float STILL = 0f;

    @TempDir
    Path dir;

    @Test
    void aStaticSceneIsSkippedAndAFaceThatStopsKeepsItsTrack() throws Exception {
        try (DetectorKafka kafka = new DetectorKafka(dir, 1)) {
            // The defaults: threshold 0.002, open tracks every 1 s, keyframes every 5 s, tracks close after 2 s.
            DetectorConfig config = kafka.config("detector.batch.size", "4", "detector.group.id", "gated");
            assertEquals(MotionGateConfig.defaults(), config.motion());
            byte[] empty = jpeg(TestPhotos.shapesAndText(640, 480, 5));
            byte[] threePeople = jpeg(TestPhotos.sample(1, 800));
            Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            int seq = 0;
            // Step 1: 6 s of an empty room (ingest measures the first frame of a connection as all new).
            for (; seq < 30; seq++) {
                kafka.send(at(frame("lobby", seq, empty), t0, seq, seq == 0 ? 1f : STILL));
            }
            // Step 2: three people walk in (1 s of motion), then stand still for 4 s.
            for (; seq < 35; seq++) {
                kafka.send(at(frame("lobby", seq, threePeople), t0, seq, MOVING));
            }
            for (; seq < 55; seq++) {
                kafka.send(at(frame("lobby", seq, threePeople), t0, seq, STILL));
            }
            // Step 3: an older producer's camera, without a motion measure.
            for (int i = 0; i < 3; i++) {
                kafka.send(at(frame("yard", i, empty), t0, i, null));
            }

            try (DetectorService service = DetectorService.start(config, kafka.settings(), metrics)) {
                // Walking in: frames 30..34, three faces each; standing: frames 39, 44, 49, 54 (every 1 s).
                List<FaceCrop> crops = kafka.crops(27);
                kafka.awaitCommitted("gated", 58);
                Set<Long> detected = crops.stream().map(c -> c.getFrame().getSequence())
                        .collect(Collectors.toCollection(TreeSet::new));
                assertEquals(new TreeSet<>(List.of(30L, 31L, 32L, 33L, 34L, 39L, 44L, 49L, 54L)), detected);
                Map<String, List<Integer>> hits = new TreeMap<>();
                crops.forEach(c -> hits.computeIfAbsent(c.getTrackId().toString(), k -> new ArrayList<>())
                        .add(c.getTrackHits()));
                // Three tracks over 5.6 s, never closed although the people were still for 4 s.
                assertEquals(3, hits.size(), hits.toString());
                hits.values().forEach(h -> assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9),
                        h.stream().sorted().toList()));
                assertEquals(3, service.tracker().openTracks("lobby"));

                // Frames 0 and 25 (keyframe after 5 s) of the empty room, the 9 above, the yard's 3: 14 detected.
                assertEquals(58 - 14, count(metrics, "vap.detector.frames", "result", "skipped_static"));
                assertEquals(2 + 3, count(metrics, "vap.detector.frames", "result", "no_faces"));
                assertEquals(9, count(metrics, "vap.detector.frames", "result", "faces"));
                assertEquals(44, count(metrics, "vap.detector.motion.frames", "decision", "skipped"));
                assertEquals(6, count(metrics, "vap.detector.motion.frames", "decision", "motion"));
                assertEquals(1, count(metrics, "vap.detector.motion.frames", "decision", "keyframe"));
                assertEquals(4, count(metrics, "vap.detector.motion.frames", "decision", "open_track"));
                assertEquals(3, count(metrics, "vap.detector.motion.frames", "decision", "unmeasured"));
            }
        }
    }

    private static Frame at(Frame f, Instant t0, int index, Float motion) {
        f.setCaptureTimestamp(t0.plusMillis(200L * index));
        f.setMotion(motion);
        return f;
    }

    private static double count(SimpleMeterRegistry metrics, String name, String tag, String value) {
        return metrics.get(name).tag(tag, value).counter().count();
    }
}
