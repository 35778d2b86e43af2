package vap.detector.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.serde.ByteBuffers;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.Topics;
import vap.core.serde.AvroCodec;
import vap.detector.TestPhotos;
import vap.vision.image.ImageDecodeException;
import vap.vision.image.ImageDecoder;
import vap.vision.image.JpegEncoder;
import vap.embedded.EmbeddedKafka;
import vap.embedded.SchemaRegistryServer;
import vap.messages.DeadLetter;
import vap.messages.FaceCrop;
import vap.messages.Frame;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The detector service against a real Kafka broker and schema registry: frames in, face crops out; a corrupt
 * frame goes to the dead-letter topic with its reason and bytes, and the frames after it still flow.
 */
class DetectorServiceTest {
    @TempDir
    Path dir;

    @Test
    void framesBecomeFaceCropsAndACorruptFrameIsDeadLettered() throws Exception {
        Topics topics = Topics.defaults();
        String deadLetters = Topics.deadLetterTopic(topics.frames());
        try (SchemaRegistryServer registry = SchemaRegistryServer.start(0);
             EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            kafka.createTopic(topics.frames(), 2, false);
            kafka.createTopic(topics.faces(), 2, false);
            kafka.createTopic(deadLetters, 1, false);
            KafkaSettings ks = KafkaSettings.of(kafka.bootstrapServers(), registry.url());
            AvroCodec<Frame> frameCodec = new AvroCodec<>(ks.registryClient(), Frame.class);
            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            Settings s = Settings.of(Map.of(
                    "kafka.bootstrap.servers", kafka.bootstrapServers(), "registry.url", registry.url(),
                    "detector.batch.size", "4", "detector.threads", "1"));

            // Step 1: the frames of two cameras: faces, a corrupt JPEG, more faces, a frame with no face, and a
            // record that is not even Avro.
            byte[] threeFaces = jpeg(TestPhotos.sample(3, 800));
            byte[] fourFaces = jpeg(TestPhotos.sample(6, 800));
            byte[] noFace = jpeg(TestPhotos.shapesAndText(640, 480, 5));
            byte[] corrupt = Arrays.copyOf(threeFaces, threeFaces.length / 3);
            try (var producer = new KafkaProducer<>(ks.producerProps("test"), new StringSerializer(),
                    new ByteArraySerializer())) {
                send(producer, frameCodec, topics.frames(), frame("lobby", 0, threeFaces));
                send(producer, frameCodec, topics.frames(), frame("lobby", 1, corrupt));
                send(producer, frameCodec, topics.frames(), frame("lobby", 2, fourFaces));
                send(producer, frameCodec, topics.frames(), frame("yard", 0, noFace));
                producer.send(new ProducerRecord<>(topics.frames(), "yard", "not avro".getBytes())).get();
            }

            // Step 2: run the service.
            try (DetectorService service = DetectorService.start(DetectorConfig.from(s), ks, metrics)) {
                // Step 3: seven face crops, all from the lobby camera's frames 0 and 2.
                AvroCodec<FaceCrop> cropCodec = new AvroCodec<>(ks.registryClient(), FaceCrop.class);
                List<ConsumerRecord<String, byte[]>> crops = consume(ks, topics.faces(), 7);
                Map<Long, Integer> facesPerFrame = new TreeMap<>();
                for (ConsumerRecord<String, byte[]> r : crops) {
                    FaceCrop crop = cropCodec.decode(r.topic(), r.value());
                    assertEquals("lobby", r.key());
                    assertEquals("lobby", crop.getFrame().getCameraId());
                    facesPerFrame.merge(crop.getFrame().getSequence(), 1, Integer::sum);
                    assertEquals(crop.getFrame().getSequence() == 0 ? 3 : 4, crop.getFaceCount());
                    assertEquals(800, crop.getFrameWidth());
                    assertTrue(crop.getBox().getX1() < crop.getBox().getX2() && crop.getScore() > 0.7f);
                    assertEquals(5, crop.getLandmarks().size());
                    assertSize(crop.getAlignedCrop(), 150);
                    assertSize(crop.getAgeCrop(), 64);
                }
                assertEquals(Map.of(0L, 3, 2L, 4), facesPerFrame);

                // Step 4: two dead letters: the corrupt JPEG with the decoder's reason, and the non-Avro bytes.
                AvroCodec<DeadLetter> dlCodec = new AvroCodec<>(ks.registryClient(), DeadLetter.class);
                List<DeadLetter> dead = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> r : consume(ks, deadLetters, 2)) {
                    dead.add(dlCodec.decode(r.topic(), r.value()));
                }
                DeadLetter jpegError = dead.stream()
                        .filter(d -> d.getErrorType().equals(ImageDecodeException.class.getName())).findFirst()
                        .orElseThrow(() -> new AssertionError("no dead letter for the corrupt JPEG: " + dead));
                assertTrue(jpegError.getErrorMessage().contains("camera lobby frame 1: truncated JPEG"),
                        jpegError.getErrorMessage());
                assertEquals("detector", jpegError.getService());
                Frame original = frameCodec.decode(topics.frames(), ByteBuffers.copyOf(jpegError.getValue()));
                assertEquals(1, original.getSequence(), "the dead letter keeps the original record");
                assertTrue(dead.stream().anyMatch(d -> !d.getErrorType().equals(ImageDecodeException.class.getName())),
                        "the non-Avro record is dead-lettered too: " + dead);

                // Step 5: the face-free frame is counted, not published; the input offsets are committed.
                awaitCommitted(ks, "vap-detector", topics.frames(), 5);
                assertEquals(1.0, metrics.get("vap.detector.frames").tag("result", "no_faces").counter().count());
                assertEquals(2.0, metrics.get("vap.detector.frames").tag("result", "faces").counter().count());
                assertEquals(1.0, metrics.get("vap.detector.frames").tag("result", "undecodable").counter().count());
                assertEquals(7.0, metrics.get("vap.detector.faces").counter().count());
                assertTrue(service.healthy(), service.describe());
            }
        }
    }

    @Test
    void cropsCarryTracksAndQualityAndANewOwnerOfThePartitionStartsFreshTracks() throws Exception {
        Topics topics = Topics.defaults();
        try (SchemaRegistryServer registry = SchemaRegistryServer.start(0);
             EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            // One partition: exactly one detector replica owns the camera at a time.
            kafka.createTopic(topics.frames(), 1, false);
            kafka.createTopic(topics.faces(), 1, false);
            kafka.createTopic(Topics.deadLetterTopic(topics.frames()), 1, false);
            KafkaSettings ks = KafkaSettings.of(kafka.bootstrapServers(), registry.url());
            AvroCodec<Frame> frameCodec = new AvroCodec<>(ks.registryClient(), Frame.class);
            AvroCodec<FaceCrop> cropCodec = new AvroCodec<>(ks.registryClient(), FaceCrop.class);
            DetectorConfig config = DetectorConfig.from(Settings.of(Map.of(
                    "kafka.bootstrap.servers", kafka.bootstrapServers(), "registry.url", registry.url(),
                    "detector.batch.size", "2", "detector.group.id", "detectors")));
            byte[] threeFaces = jpeg(TestPhotos.sample(1, 800));
            Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

            try (var producer = new KafkaProducer<>(ks.producerProps("test"), new StringSerializer(),
                    new ByteArraySerializer());
                 var faces = new KafkaConsumer<String, byte[]>(ks.consumerProps("test-faces", "test-faces"))) {
                faces.subscribe(List.of(topics.faces()));
                // Step 1: three frames of the same three people, 200 ms apart; the first replica detects them.
                for (int i = 0; i < 3; i++) {
                    send(producer, frameCodec, topics.frames(), frame("lobby", i, threeFaces, t0.plusMillis(200L * i)));
                }
                List<FaceCrop> first = new ArrayList<>();
                String firstInstance;
                DetectorService b = null;
                try {
                    try (DetectorService a = DetectorService.start(config, ks, new SimpleMeterRegistry())) {
                        firstInstance = a.tracker().instance();
                        first.addAll(poll(faces, cropCodec, 9));
                        awaitCommitted(ks, "detectors", topics.frames(), 3);

                        // Step 2: every crop has its track and quality; each face keeps its track over the frames.
                        Map<String, List<Integer>> hitsPerTrack = new TreeMap<>();
                        for (FaceCrop crop : first) {
                            String track = crop.getTrackId().toString();
                            assertTrue(track.startsWith("lobby/" + firstInstance + "/"), track);
                            hitsPerTrack.computeIfAbsent(track, k -> new ArrayList<>()).add(crop.getTrackHits());
                            assertEquals(t0, crop.getTrackFirstSeenTimestamp(), "first seen in frame 0: " + track);
                            assertTrue(crop.getQuality() != null && crop.getQuality().getValue() > 0.3f
                                    && crop.getQuality().getValue() <= 1f, "a sharp frontal face: " + crop.getQuality());
                            assertEquals(crop.getScore(), crop.getQuality().getDetectionScore());
                            assertTrue(crop.getQuality().getFaceSize() > 20, crop.getQuality().toString());
                        }
                        assertEquals(3, hitsPerTrack.size(), "three people, three tracks: " + hitsPerTrack);
                        hitsPerTrack.values().forEach(h -> assertEquals(List.of(1, 2, 3), h.stream().sorted().toList()));

                        // Step 3: a second replica joins the group while the first runs ...
                        b = DetectorService.start(config, ks, new SimpleMeterRegistry());
                        assertNotEquals(firstInstance, b.tracker().instance());
                    } // ... and the first leaves it: the partition moves to the second.
                    for (int i = 3; i < 6; i++) {
                        send(producer, frameCodec, topics.frames(), frame("lobby", i, threeFaces, t0.plusMillis(200L * i)));
                    }
                    // Step 4: 200 ms later the same people, but the new owner has no tracks: fresh ids, hits from 1.
                    List<FaceCrop> second = poll(faces, cropCodec, 9);
                    Map<String, List<Integer>> afterMove = new TreeMap<>();
                    for (FaceCrop crop : second) {
                        String track = crop.getTrackId().toString();
                        assertTrue(track.startsWith("lobby/" + b.tracker().instance() + "/"), track);
                        assertTrue(crop.getFrame().getSequence() >= 3, "nothing detected twice: " + crop.getFrame());
                        assertEquals(t0.plusMillis(600), crop.getTrackFirstSeenTimestamp());
                        afterMove.computeIfAbsent(track, k -> new ArrayList<>()).add(crop.getTrackHits());
                    }
                    assertEquals(3, afterMove.size(), afterMove.toString());
                    afterMove.values().forEach(h -> assertEquals(List.of(1, 2, 3), h.stream().sorted().toList()));
                    awaitCommitted(ks, "detectors", topics.frames(), 6);
                    assertTrue(b.healthy(), b.describe());
                } finally {
                    if (b != null) {
                        b.close();
                    }
                }
            }
        }
    }

    static List<FaceCrop> poll(KafkaConsumer<String, byte[]> consumer, AvroCodec<FaceCrop> codec, int expected) {
        List<FaceCrop> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 180_000;
        while (out.size() < expected && System.currentTimeMillis() < deadline) {
            consumer.poll(Duration.ofMillis(500)).forEach(r -> out.add(codec.decode(r.topic(), r.value())));
        }
        consumer.poll(Duration.ofSeconds(1)).forEach(r -> out.add(codec.decode(r.topic(), r.value())));
        assertEquals(expected, out.size(), "face crops");
        return out;
    }

    static Frame frame(String camera, long sequence, byte[] jpeg, Instant captured) {
        Frame f = frame(camera, sequence, jpeg);
        f.setCaptureTimestamp(captured);
        return f;
    }

    static Frame frame(String camera, long sequence, byte[] jpeg) {
        int w = 0;
        int h = 0;
        try (Mat m = ImageDecoder.decode(jpeg, "test frame")) {
            w = m.cols();
            h = m.rows();
        } catch (ImageDecodeException e) {
            // the corrupt frame: its header still claims a size, which the detector must not trust
        }
        return new Frame(1, camera, sequence, Instant.now(), w, h, ByteBuffer.wrap(jpeg), null);
    }

    static byte[] jpeg(Mat image) {
        try (image) {
            return JpegEncoder.encode(image, 90);
        }
    }

    static void send(KafkaProducer<String, byte[]> producer, AvroCodec<Frame> codec, String topic, Frame f)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, f.getCameraId().toString(), codec.encode(topic, f))).get();
    }

    private static List<ConsumerRecord<String, byte[]>> consume(KafkaSettings ks, String topic, int expected) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, byte[]>(ks.consumerProps("test-" + topic, "test-" + topic))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 120_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            // Nothing beyond what is expected arrives.
            consumer.poll(Duration.ofSeconds(2)).forEach(out::add);
        }
        assertEquals(expected, out.size(), "records on " + topic);
        return out;
    }

    static void awaitCommitted(KafkaSettings ks, String group, String topic, long records) throws Exception {
        try (Admin admin = Admin.create(ks.common())) {
            long committed = 0;
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> offsets =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                committed = offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                        .mapToLong(e -> e.getValue().offset()).sum();
                if (committed == records) {
                    return;
                }
                Thread.sleep(250);
            }
            assertEquals(records, committed, "committed offsets of " + group + " on " + topic);
        }
    }

    private static void assertSize(ByteBuffer jpeg, int side) {
        try (Mat m = ImageDecoder.decode(ByteBuffers.copyOf(jpeg), "crop")) {
            assertArrayEquals(new int[]{side, side}, new int[]{m.cols(), m.rows()});
        }
    }
}
