package vap.embedded;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.admin.DeadLetterReplay;
import vap.core.kafka.KafkaSettings;
import vap.core.serde.AvroCodec;
import vap.core.worker.BatchWorker;
import vap.core.worker.WorkerConfig;
import vap.messages.Frame;
import vap.messages.FrameRef;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vap.embedded.KafkaRoundTripTest.frame;

/** {@code vap dlq replay}: a record dead-lettered while its cause stood goes through once the cause is fixed. */
class DeadLetterReplayTest {
    @TempDir
    Path dir;

    @Test
    void deadLettersGoBackToTheirTopicOnceTheCauseIsFixed() throws Exception {
        try (SchemaRegistryServer registry = SchemaRegistryServer.start(0);
             EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            String in = "rp.frames";
            String out = "rp.refs";
            kafka.createTopic(in, 1, false);
            KafkaSettings ks = KafkaSettings.of(kafka.bootstrapServers(), registry.url());
            AvroCodec<Frame> frames = new AvroCodec<>(ks.registryClient(), Frame.class);
            AtomicBoolean broken = new AtomicBoolean(true); // e.g. a model that cannot read these frames yet
            BatchWorker<Frame> worker = new BatchWorker<>(WorkerConfig.of("rp", "rp", in, 10, ks)
                    .withRetryBackoff(Duration.ofMillis(50)), frames, (batch, outbox) -> {
                for (var f : batch) {
                    if (f.value().getSequence() >= 100 && broken.get()) {
                        throw new IllegalStateException("cannot process frame " + f.value().getSequence());
                    }
                    outbox.send(out, f.key(), new FrameRef("cam", f.value().getSequence(), f.value().getCaptureTimestamp()));
                }
            }, new SimpleMeterRegistry()).start();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                for (long s : List.of(1L, 100L, 2L, 101L)) {
                    producer.send(new ProducerRecord<>(in, "cam", frames.encode(in, frame(s))));
                }
                producer.flush();
                assertEquals(List.of(1L, 2L), sequences(kafka, ks, out, 2));
                assertEquals(2, count(kafka, in + ".dlq", 2));

                broken.set(false); // the cause is fixed
                ByteArrayOutputStream log = new ByteArrayOutputStream();
                var result = new DeadLetterReplay(ks, in + ".dlq", "rp-replay", new PrintStream(log, true)).run();
                System.out.print(log);
                assertEquals(2, result.replayed());
                assertTrue(log.toString().contains("replayed 2 of 2"), log.toString());
                assertEquals(List.of(1L, 2L, 100L, 101L), sequences(kafka, ks, out, 4));
                assertEquals(2, count(kafka, in + ".dlq", 2), "nothing dead-lettered again");
                // A second replay has nothing left to send.
                assertEquals(0, new DeadLetterReplay(ks, in + ".dlq", "rp-replay", new PrintStream(log)).run().replayed());
            } finally {
                worker.close();
            }
        }
    }

    @Test
    void aDeadLetterLargerThanTheProducerAllowsKeepsAReferenceAndReplaysFromTheSource() throws Exception {
        try (SchemaRegistryServer registry = SchemaRegistryServer.start(0);
             EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            String in = "big.frames";
            String out = "big.refs";
            kafka.createTopic(in, 1, false);
            KafkaSettings ks = KafkaSettings.of(kafka.bootstrapServers(), registry.url()); // max.request.size 1 MiB
            AvroCodec<Frame> frames = new AvroCodec<>(ks.registryClient(), Frame.class);
            AtomicBoolean broken = new AtomicBoolean(true);
            BatchWorker<Frame> worker = new BatchWorker<>(WorkerConfig.of("big", "big", in, 10, ks)
                    .withRetryBackoff(Duration.ofMillis(50)), frames, (batch, outbox) -> {
                for (var f : batch) {
                    if (f.value().getJpeg().remaining() > 1000 && broken.get()) {
                        outbox.deadLetter(f, new IllegalArgumentException("corrupt frame"));
                        continue;
                    }
                    outbox.send(out, f.key(), new FrameRef("cam", f.value().getSequence(), f.value().getCaptureTimestamp()));
                }
            }, new SimpleMeterRegistry()).start();
            byte[] corrupt = new byte[2 << 20]; // a 2 MiB corrupt frame
            new java.util.Random(7).nextBytes(corrupt);
            Frame big = Frame.newBuilder(frame(5)).setJpeg(java.nio.ByteBuffer.wrap(corrupt)).build();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                    kafka.bootstrapServers(), "max.request.size", 8 << 20), new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(in, "cam", frames.encode(in, frame(4))));
                producer.send(new ProducerRecord<>(in, "cam", frames.encode(in, big)));
                producer.send(new ProducerRecord<>(in, "cam", frames.encode(in, frame(6))));
                producer.flush();
            }
            try {
                assertEquals(List.of(4L, 6L), sequences(kafka, ks, out, 2), "offsets moved on past the big frame");
                AvroCodec<vap.messages.DeadLetter> dl = new AvroCodec<>(ks.registryClient(), vap.messages.DeadLetter.class);
                try (KafkaConsumer<String, byte[]> c = consumer(kafka)) {
                    var letters = KafkaRoundTripTest.readAtLeast(c, in + ".dlq", 1, Duration.ofSeconds(2));
                    assertEquals(1, letters.size());
                    var letter = dl.decode(in + ".dlq", letters.get(0).value());
                    System.out.println("2 MiB frame dead-lettered in " + letters.get(0).serializedValueSize() + " bytes: "
                            + letter.getErrorMessage());
                    assertEquals(null, letter.getValue());
                    assertEquals(1L, letter.getSourceOffset());
                    assertTrue(letter.getErrorMessage().contains("left out") && letter.getErrorMessage().contains(in + "[0]@1"),
                            letter.getErrorMessage());
                }
                broken.set(false);
                var tooSmall = new DeadLetterReplay(ks, in + ".dlq", "big-replay", System.out);
                IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, tooSmall::run);
                assertTrue(refused.getMessage().contains("kafka.max.request.size"), refused.getMessage());
                var result = new DeadLetterReplay(ks.withClientOverrides(Map.of("max.request.size", String.valueOf(8 << 20))),
                        in + ".dlq", "big-replay", System.out).run();
                assertEquals(1, result.replayed());
                assertEquals(1, result.fromSource(), "the original bytes were re-read from their offset");
                assertEquals(List.of(4L, 5L, 6L), sequences(kafka, ks, out, 3));
            } finally {
                worker.close();
            }
        }
    }

    private static List<Long> sequences(EmbeddedKafka kafka, KafkaSettings ks, String topic, int n) {
        AvroCodec<FrameRef> refs = new AvroCodec<>(ks.registryClient(), FrameRef.class);
        try (KafkaConsumer<String, byte[]> c = consumer(kafka)) {
            return KafkaRoundTripTest.readAtLeast(c, topic, n, Duration.ofSeconds(2)).stream()
                    .map(r -> refs.decode(topic, r.value()).getSequence()).sorted().toList();
        }
    }

    private static int count(EmbeddedKafka kafka, String topic, int atLeast) {
        try (KafkaConsumer<String, byte[]> c = consumer(kafka)) {
            return KafkaRoundTripTest.readAtLeast(c, topic, atLeast, Duration.ofSeconds(2)).size();
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(EmbeddedKafka kafka) {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()), new StringDeserializer(),
                new ByteArrayDeserializer());
    }
}
