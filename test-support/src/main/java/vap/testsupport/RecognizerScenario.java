package vap.testsupport;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.Topics;
import vap.core.serde.AvroCodec;
import vap.messages.Box;
import vap.messages.DeadLetter;
import vap.messages.FaceCrop;
import vap.messages.FrameRef;
import vap.messages.Match;
import vap.messages.Point;
import vap.messages.Sighting;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the recognizer service's tests run (recognizer's on crops cut at recorded detections, photos' on crops the
 * real detector made): untracked face crops of known people, sequence numbers 0..n-1, published on the faces topic
 * with one corrupt crop (sequence 99); every good crop must give a sighting, each enrolled person's a match, the
 * corrupt one a dead letter. The service under test runs in the test; this class publishes and checks.
 */
public final class RecognizerScenario {
    private final KafkaSettings kafka;
    private final Topics topics;
    private final List<FaceCrop> crops;
    private final List<String> who;
    private final Map<String, Long> offsetOf = new HashMap<>();

    /** @param who the person of each crop, by its sequence number */
    public RecognizerScenario(KafkaSettings kafka, Topics topics, List<FaceCrop> crops, List<String> who) {
        this.kafka = kafka;
        this.topics = topics;
        this.crops = List.copyOf(crops);
        this.who = List.copyOf(who);
    }

    /** An untracked crop as the detector publishes it, captured and detected now. */
    public static FaceCrop crop(String camera, long sequence, int frameWidth, int frameHeight, Box box, float score,
                                List<Point> landmarks, byte[] alignedJpeg, byte[] ageJpeg) {
        return FaceCrop.newBuilder()
                .setFrame(FrameRef.newBuilder().setCameraId(camera).setSequence(sequence).setCaptureTimestamp(Instant.now()).build())
                .setFaceIndex(0).setFaceCount(1).setFrameWidth(frameWidth).setFrameHeight(frameHeight)
                .setBox(box).setScore(score).setLandmarks(landmarks).setAlignedCrop(ByteBuffer.wrap(alignedJpeg))
                .setAgeCrop(ByteBuffer.wrap(ageJpeg)).setDetectedTimestamp(Instant.now()).build();
    }

    public static byte[] jpeg(Mat m) {
        try (BytePointer buf = new BytePointer()) {
            imencode(".jpg", m, buf);
            byte[] out = new byte[(int) buf.limit()];
            buf.get(out);
            return out;
        }
    }

    /** Publishes the crops (remembering their offsets), then the first one again as sequence 99 with corrupt JPEG bytes. */
    public void publish() throws ExecutionException, InterruptedException {
        FaceCrop corrupt = FaceCrop.newBuilder(crops.get(0))
                .setAlignedCrop(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3}))
                .setFrame(FrameRef.newBuilder(crops.get(0).getFrame()).setSequence(99).build()).build();
        AvroCodec<FaceCrop> codec = new AvroCodec<>(kafka.registryClient(), FaceCrop.class);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProps("test"))) {
            for (FaceCrop c : crops) {
                RecordMetadata m = send(producer, codec, c);
                offsetOf.put(c.getFrame().getCameraId() + "/" + c.getFrame().getSequence(), m.offset());
            }
            send(producer, codec, corrupt);
        }
    }

    private RecordMetadata send(KafkaProducer<String, byte[]> producer, AvroCodec<FaceCrop> codec, FaceCrop crop)
            throws ExecutionException, InterruptedException {
        return producer.send(new ProducerRecord<>(topics.faces(), crop.getFrame().getCameraId(),
                codec.encode(topics.faces(), crop))).get();
    }

    /**
     * Reads the outputs and checks them: a sighting per good crop (its own embedding, age, metric, and the crop's
     * offset), matched exactly for the enrolled; a match per enrolled person's crop, named by display name = id in
     * capitals (as the tests enrol) and passing its threshold; the corrupt crop a dead letter only.
     */
    public void assertOutputs(Set<String> notEnrolled) {
        int enrolledCrops = (int) who.stream().filter(p -> !notEnrolled.contains(p)).count();
        List<Sighting> sightings = read(kafka, topics.sightings(), Sighting.class, crops.size());
        List<Match> matches = read(kafka, topics.matches(), Match.class, enrolledCrops);
        List<DeadLetter> dead = read(kafka, Topics.deadLetterTopic(topics.faces()), DeadLetter.class, 1);
        assertEquals(crops.size(), sightings.size());
        assertEquals(enrolledCrops, matches.size());
        assertEquals(1, dead.size());
        assertTrue(sightings.stream().noneMatch(s -> s.getFrame().getSequence() == 99), "the corrupt crop produced no sighting");
        assertTrue(dead.get(0).getErrorMessage().contains("aligned crop"), dead.get(0).getErrorMessage());

        for (Sighting s : sightings) {
            String person = who.get((int) s.getFrame().getSequence());
            assertEquals(128, s.getEmbedding().size());
            assertTrue(s.getAge() > 10 && s.getAge() < 80, "age " + s.getAge());
            assertEquals("IP", s.getMetric());
            assertEquals(offsetOf.get(s.getFrame().getCameraId() + "/" + s.getFrame().getSequence()), s.getCrop().getOffset());
            assertEquals(topics.faces(), s.getCrop().getTopic());
            if (notEnrolled.contains(person)) {
                assertFalse(s.getMatched(), person + " is not enrolled");
            } else {
                assertTrue(s.getMatched(), person + " should match");
                assertEquals(person, s.getCandidates().get(0).getIdentityId());
            }
        }
        for (Match m : matches) {
            assertEquals(who.get((int) m.getFrame().getSequence()), m.getIdentityId());
            assertEquals(m.getIdentityId().toUpperCase(), m.getDisplayName());
            assertTrue(m.getScore() >= m.getThreshold());
        }
    }

    /** The records of {@code topic} (new consumer group), until {@code expected} came or 90 s, then 1 s more for extras. */
    public static <T extends SpecificRecord> List<T> read(KafkaSettings kafka, String topic, Class<T> type, int expected) {
        AvroCodec<T> codec = new AvroCodec<>(kafka.registryClient(), type);
        List<T> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumerProps("reader-" + topic, "reader"))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(codec.decode(r.topic(), r.value()));
                }
            }
            // A little longer, to catch anything beyond what was expected.
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                out.add(codec.decode(r.topic(), r.value()));
            }
        }
        return out;
    }
}
