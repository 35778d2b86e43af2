package vap.detector.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.Topics;
import vap.core.serde.AvroCodec;
import vap.detector.TestPhotos;
import vap.embedded.EmbeddedKafka;
import vap.embedded.SchemaRegistryServer;
import vap.messages.FaceCrop;
import vap.messages.Frame;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static vap.detector.service.DetectorServiceTest.awaitCommitted;
import static vap.detector.service.DetectorServiceTest.frame;
import static vap.detector.service.DetectorServiceTest.jpeg;
import static vap.detector.service.DetectorServiceTest.poll;
import static vap.detector.service.DetectorServiceTest.send;

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
        Topics topics = Topics.defaults();
        try (SchemaRegistryServer registry = SchemaRegistryServer.start(0);
             EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            kafka.createTopic(topics.frames(), 1, false);
            kafka.createTopic(topics.faces(), 1, false);
            kafka.createTopic(Topics.deadLetterTopic(topics.frames()), 1, false);
            KafkaSettings ks = KafkaSettings.of(kafka.bootstrapServers(), registry.url());
            AvroCodec<Frame> frameCodec = new AvroCodec<>(ks.registryClient(), Frame.class);
            AvroCodec<FaceCrop> cropCodec = new AvroCodec<>(ks.registryClient(), FaceCrop.class);
            // The defaults: threshold 0.002, open tracks every 1 s, keyframes every 5 s, tracks close after 2 s.
            DetectorConfig config = DetectorConfig.from(Settings.of(Map.of(
                    "kafka.bootstrap.servers", kafka.bootstrapServers(), "registry.url", registry.url(),
                    "detector.batch.size", "4", "detector.group.id", "gated")));
            assertEquals(MotionGateConfig.defaults(), config.motion());
            byte[] empty = jpeg(TestPhotos.shapesAndText(640, 480, 5));
            byte[] threePeople = jpeg(TestPhotos.sample(1, 800));
            Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            try (var producer = new KafkaProducer<>(ks.producerProps("test"), new StringSerializer(),
                    new ByteArraySerializer());
                 var faces = new KafkaConsumer<String, byte[]>(ks.consumerProps("test-faces", "test-faces"))) {
                faces.subscribe(List.of(topics.faces()));
                int seq = 0;
                // Step 1: 6 s of an empty room (ingest measures the first frame of a connection as all new).
                for (; seq < 30; seq++) {
                    send(producer, frameCodec, topics.frames(), at(frame("lobby", seq, empty), t0, seq, seq == 0 ? 1f : STILL));
                }
                // Step 2: three people walk in (1 s of motion), then stand still for 4 s.
                for (; seq < 35; seq++) {
                    send(producer, frameCodec, topics.frames(), at(frame("lobby", seq, threePeople), t0, seq, MOVING));
                }
                for (; seq < 55; seq++) {
                    send(producer, frameCodec, topics.frames(), at(frame("lobby", seq, threePeople), t0, seq, STILL));
                }
                // Step 3: an older producer's camera, without a motion measure.
                for (int i = 0; i < 3; i++) {
                    send(producer, frameCodec, topics.frames(), at(frame("yard", i, empty), t0, i, null));
                }

                try (DetectorService service = DetectorService.start(config, ks, metrics)) {
                    // Walking in: frames 30..34, three faces each; standing: frames 39, 44, 49, 54 (every 1 s).
                    List<FaceCrop> crops = poll(faces, cropCodec, 27);
                    awaitCommitted(ks, "gated", topics.frames(), 58);
                    Set<Long> detected = crops.stream().map(c -> c.getFrame().getSequence())
                            .collect(Collectors.toCollection(TreeSet::new));
                    assertEquals(new TreeSet<>(List.of(30L, 31L, 32L, 33L, 34L, 39L, 44L, 49L, 54L)), detected);
                    Map<String, List<Integer>> hits = new TreeMap<>();
                    crops.forEach(c -> hits.computeIfAbsent(c.getTrackId().toString(), k -> new java.util.ArrayList<>())
                            .add(c.getTrackHits()));
                    // Three tracks over 5.6 s, never closed although the people were still for 4 s.
                    assertEquals(3, hits.size(), hits.toString());
                    hits.values().forEach(h -> assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9), h.stream().sorted().toList()));
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
