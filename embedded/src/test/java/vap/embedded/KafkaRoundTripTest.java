package vap.embedded;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.Topics;
import vap.core.registry.SchemaRegistryClient;
import vap.core.serde.AvroCodec;
import vap.core.serde.AvroDeserializer;
import vap.core.serde.AvroSerializer;
import vap.core.serde.SerdeConfig;
import vap.core.worker.BatchWorker;
import vap.core.worker.WorkerConfig;
import vap.messages.DeadLetter;
import vap.messages.Frame;
import vap.messages.FrameRef;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records of every schema through the serializer, the registry over HTTP and a real KRaft broker. */
class KafkaRoundTripTest {
    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static SchemaRegistryServer registry;

    @BeforeAll
    static void start() {
        registry = SchemaRegistryServer.start(0);
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
    }

    @AfterAll
    static void stop() {
        kafka.close();
        registry.close();
    }

    @Test
    void everySchemaRoundTripsThroughKafka() {
        Map<String, Object> p = new HashMap<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                SerdeConfig.REGISTRY_URL, registry.url()));
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(p, new StringSerializer(), serializer(p))) {
            for (SpecificRecord r : SampleRecords.all()) {
                producer.send(new ProducerRecord<>("rt." + r.getSchema().getName(), "k", r));
            }
            producer.flush();
        }
        for (SpecificRecord sent : SampleRecords.all()) {
            String topic = "rt." + sent.getSchema().getName();
            Map<String, Object> c = new HashMap<>(p);
            c.put(SerdeConfig.VALUE_TYPE, sent.getClass().getName());
            AvroDeserializer<SpecificRecord> des = new AvroDeserializer<>();
            des.configure(c, false);
            try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(
                    Map.of("bootstrap.servers", kafka.bootstrapServers()), new StringDeserializer(), des)) {
                List<ConsumerRecord<String, SpecificRecord>> got = readAll(consumer, topic, 1);
                assertEquals(sent, got.get(0).value(), topic);
            }
        }
        assertTrue(new SchemaRegistryClient(registry.url()).subjects().contains("rt.Frame-value"));
    }

    private static AvroSerializer<SpecificRecord> serializer(Map<String, Object> p) {
        AvroSerializer<SpecificRecord> s = new AvroSerializer<>();
        s.configure(p, false);
        return s;
    }

    @Test
    void aWorkerDeadLettersGarbageAndKeepsGoing() throws Exception {
        String in = "w.frames";
        String out = "w.refs";
        kafka.createTopic(in, 1, false);
        KafkaSettings ks = KafkaSettings.of(kafka.bootstrapServers(), registry.url());
        SchemaRegistryClient client = ks.registryClient();
        AvroCodec<Frame> frames = new AvroCodec<>(client, Frame.class);
        byte[] garbage = {0, 0, 0, 0, 1, 42, 42}; // valid header, nonsense body
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(in, "cam", frames.encode(in, frame(0))));
            producer.send(new ProducerRecord<>(in, "cam", garbage));
            producer.send(new ProducerRecord<>(in, "cam", new byte[]{7, 7, 7}));
            producer.send(new ProducerRecord<>(in, "cam", frames.encode(in, frame(1))));
            producer.send(new ProducerRecord<>(in, "cam", frames.encode(in, frame(666))));
            producer.send(new ProducerRecord<>(in, "cam", frames.encode(in, frame(2))));
            producer.flush();
        }
        // Step 2: a worker that turns each frame into a FrameRef and always throws on sequence 666 (a poison record).
        List<Long> processed = new ArrayList<>();
        BatchWorker<Frame> worker = new BatchWorker<>(WorkerConfig.of("test", "g1", in, 10, ks), frames,
                (batch, outbox) -> {
                    for (var f : batch) {
                        if (f.value().getSequence() == 666) {
                            throw new IllegalStateException("cannot process frame 666");
                        }
                        processed.add(f.value().getSequence());
                        outbox.send(out, f.key(), new FrameRef(f.value().getCameraId(), f.value().getSequence(),
                                f.value().getCaptureTimestamp()));
                    }
                }, new SimpleMeterRegistry()).start();
        try {
            // Step 3: the good frames come out in order; the bad records are dead letters with their bytes.
            AvroCodec<FrameRef> refs = new AvroCodec<>(client, FrameRef.class);
            try (KafkaConsumer<String, byte[]> c = rawConsumer()) {
                List<ConsumerRecord<String, byte[]>> got = readAll(c, out, 3);
                // The poisoned batch was retried whole, then record by record; failed attempts emitted nothing.
                assertEquals(List.of(0L, 1L, 2L), got.stream().map(r -> refs.decode(out, r.value()).getSequence()).toList());
                assertTrue(c.poll(Duration.ofSeconds(2)).isEmpty(), "no duplicate outputs");
            }
            AvroCodec<DeadLetter> dlCodec = new AvroCodec<>(client, DeadLetter.class);
            try (KafkaConsumer<String, byte[]> c = rawConsumer()) {
                List<DeadLetter> dls = readAll(c, Topics.deadLetterTopic(in), 3).stream()
                        .map(r -> dlCodec.decode(Topics.deadLetterTopic(in), r.value())).toList();
                assertEquals(1L, dls.get(0).getSourceOffset());
                assertArrayEquals(garbage, bytes(dls.get(0).getValue()));
                assertTrue(dls.get(0).getErrorType().endsWith("MalformedPayloadException"), dls.get(0).getErrorType());
                assertEquals(2L, dls.get(1).getSourceOffset());
                assertTrue(dls.get(1).getErrorType().endsWith("UnknownMagicByteException"));
                assertEquals("test", dls.get(1).getService());
                assertEquals(4L, dls.get(2).getSourceOffset());
                assertTrue(dls.get(2).getErrorMessage().contains("cannot process frame 666"));
            }
            // Step 4: offsets are committed past everything once output is acknowledged.
            waitForCommit("g1", new TopicPartition(in, 0), 6);
        } finally {
            worker.close();
        }
    }

    private static void waitForCommit(String group, TopicPartition tp, long expected) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            while (System.currentTimeMillis() < deadline) {
                var offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                if (offsets.get(tp) != null && offsets.get(tp).offset() == expected) {
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("group " + group + " did not commit offset " + expected + " on " + tp);
    }

    static byte[] bytes(java.nio.ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    static Frame frame(long seq) {
        return Frame.newBuilder().setCameraId("cam").setSequence(seq).setCaptureTimestamp(Instant.now()).setWidth(2)
                .setHeight(2).setJpeg(java.nio.ByteBuffer.wrap(new byte[]{1})).build();
    }

    private static KafkaConsumer<String, byte[]> rawConsumer() {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Everything on {@code topic} that arrives within {@code quiet} of the last record (at least {@code n}). */
    static <V> List<ConsumerRecord<String, V>> readAtLeast(KafkaConsumer<String, V> c, String topic, int n, Duration quiet) {
        long deadline = System.currentTimeMillis() + 30_000;
        assignFromTheStart(c, topic, deadline);
        List<ConsumerRecord<String, V>> got = new ArrayList<>();
        while (System.currentTimeMillis() < deadline) {
            var batch = c.poll(quiet);
            batch.forEach(got::add);
            if (batch.isEmpty() && got.size() >= n) {
                break;
            }
        }
        return got;
    }

    static <V> List<ConsumerRecord<String, V>> readAll(KafkaConsumer<String, V> c, String topic, int n) {
        long deadline = System.currentTimeMillis() + 30_000;
        assignFromTheStart(c, topic, deadline);
        List<ConsumerRecord<String, V>> got = new ArrayList<>();
        while (got.size() < n && System.currentTimeMillis() < deadline) {
            c.poll(Duration.ofMillis(200)).forEach(got::add);
        }
        assertEquals(n, got.size(), "records on " + topic);
        return got;
    }

    /** All partitions of {@code topic} from offset 0, once it exists (an output topic appears with its first record). */
    private static void assignFromTheStart(KafkaConsumer<String, ?> c, String topic, long deadline) {
        List<TopicPartition> parts = List.of();
        while (parts.isEmpty() && System.currentTimeMillis() < deadline) {
            parts = c.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                    .map(pi -> new TopicPartition(topic, pi.partition())).toList();
        }
        c.assign(parts);
        c.seekToBeginning(parts);
    }
}
