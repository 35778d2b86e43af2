package vap.detector.service;

import org.apache.avro.specific.SpecificRecord;
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
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.Topics;
import vap.core.serde.AvroCodec;
import vap.messages.FaceCrop;
import vap.messages.Frame;
import vap.testsupport.KafkaStack;
import vap.vision.image.ImageDecodeException;
import vap.vision.image.ImageDecoder;
import vap.vision.image.JpegEncoder;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The detector service's surroundings in a test: a real broker and schema registry with the frames, faces and
 * dead-letter topics, frames sent in as ingest sends them (Avro, keyed by camera), face crops read back out.
 */
final class DetectorKafka implements AutoCloseable {
    private final Topics topics = Topics.defaults();
    private final KafkaStack stack;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<Class<?>, AvroCodec<?>> codecs = new HashMap<>();
    private KafkaConsumer<String, byte[]> crops;

    /** The frames and faces topics with {@code partitions} each (one: one replica owns a camera), dead letters one. */
    DetectorKafka(Path dir, int partitions) {
        stack = new KafkaStack(dir.resolve("kafka"));
        stack.createTopic(topics.frames(), partitions);
        stack.createTopic(topics.faces(), partitions);
        stack.createTopic(deadLetters(), 1);
        producer = new KafkaProducer<>(settings().producerProps("test"), new StringSerializer(),
                new ByteArraySerializer());
    }

    KafkaSettings settings() {
        return stack.settings();
    }

    Topics topics() {
        return topics;
    }

    String deadLetters() {
        return Topics.deadLetterTopic(topics.frames());
    }

    /** The detector's configuration on this broker and registry, with {@code keysAndValues} on top. */
    DetectorConfig config(String... keysAndValues) {
        Map<String, String> s = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", stack.bootstrapServers(), "registry.url", stack.registryUrl()));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            s.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return DetectorConfig.from(Settings.of(s));
    }

    void send(Frame f) throws Exception {
        producer.send(new ProducerRecord<>(topics.frames(), f.getCameraId().toString(),
                codec(Frame.class).encode(topics.frames(), f))).get();
    }

    /** A record on the frames topic that is not a Frame at all. */
    void sendBytes(String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topics.frames(), key, value)).get();
    }

    /**
     * The next {@code expected} face crops, and nothing more within a second after them. One consumer for the
     * whole test, so that a second call reads on where the first stopped.
     */
    List<FaceCrop> crops(int expected) {
        if (crops == null) {
            crops = new KafkaConsumer<>(settings().consumerProps("test-faces", "test-faces"));
            crops.subscribe(List.of(topics.faces()));
        }
        List<FaceCrop> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 180_000;
        while (out.size() < expected && System.currentTimeMillis() < deadline) {
            crops.poll(Duration.ofMillis(500)).forEach(r -> out.add(decode(FaceCrop.class, r.topic(), r.value())));
        }
        crops.poll(Duration.ofSeconds(1)).forEach(r -> out.add(decode(FaceCrop.class, r.topic(), r.value())));
        assertEquals(expected, out.size(), "face crops");
        return out;
    }

    /** Every record of {@code topic} from the start, exactly {@code expected}: nothing more arrives within 2 s. */
    List<ConsumerRecord<String, byte[]>> records(String topic, int expected) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, byte[]>(
                settings().consumerProps("test-" + topic, "test-" + topic))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 120_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            consumer.poll(Duration.ofSeconds(2)).forEach(out::add);
        }
        assertEquals(expected, out.size(), "records on " + topic);
        return out;
    }

    <T extends SpecificRecord> T decode(Class<T> type, String topic, byte[] value) {
        return codec(type).decode(topic, value);
    }

    @SuppressWarnings("unchecked") // the map holds each type's own codec
    private <T extends SpecificRecord> AvroCodec<T> codec(Class<T> type) {
        return (AvroCodec<T>) codecs.computeIfAbsent(type, t -> new AvroCodec<>(settings().registryClient(), type));
    }

    /** Waits up to 30 s until {@code group} has committed {@code records} offsets of the frames topic in all. */
    void awaitCommitted(String group, long records) throws Exception {
        try (Admin admin = Admin.create(settings().common())) {
            long committed = 0;
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> offsets =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                committed = offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topics.frames()))
                        .mapToLong(e -> e.getValue().offset()).sum();
                if (committed == records) {
                    return;
                }
                Thread.sleep(250);
            }
            assertEquals(records, committed, "committed offsets of " + group + " on " + topics.frames());
        }
    }

    static Frame frame(String camera, long sequence, byte[] jpeg, Instant captured) {
        Frame f = frame(camera, sequence, jpeg);
        f.setCaptureTimestamp(captured);
        return f;
    }

    /** A frame as ingest sends it; its size read from the JPEG, or 0 x 0 when the JPEG does not decode. */
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

    @Override
    public void close() {
        if (crops != null) {
            crops.close();
        }
        producer.close();
        stack.close();
    }
}
