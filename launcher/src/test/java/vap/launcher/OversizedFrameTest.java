package vap.launcher;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.Topics;
import vap.core.serde.AvroCodec;
import vap.detector.service.DetectorService;
import vap.embedded.EmbeddedKafka;
import vap.embedded.SchemaRegistryServer;
import vap.messages.DeadLetter;
import vap.messages.Frame;
import vap.testsupport.LargeImages;
import vap.vision.image.JpegEncoder;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13's unbounded inputs on the real detector: a 20000 x 20000 PNG and a 2 MiB corrupt frame on the frames
 * topic each end up as a dead letter that fits the producer (a reference to the original offset instead of the
 * bytes), the detector's memory stays flat, and the offsets move on to the frames after them.
 */
class OversizedFrameTest {
    @TempDir
    Path dir;

    @Test
    void aHugePngAndA2MibCorruptFrameAreDeadLetteredAndTheDetectorMovesOn() throws Exception {
        Topics topics = Topics.defaults();
        String dlq = Topics.deadLetterTopic(topics.frames());
        try (SchemaRegistryServer registry = SchemaRegistryServer.start(0);
             EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            KafkaSettings ks = KafkaSettings.of(kafka.bootstrapServers(), registry.url());
            TopicAdmin.ensureTopics(ks, topics, 1, (short) 1); // `vap detector` refuses to start without its topics
            AvroCodec<Frame> codec = new AvroCodec<>(ks.registryClient(), Frame.class);
            Settings s = Settings.of(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                    "registry.url", registry.url(), "detector.batch.size", "8", "detector.threads", "1"));
            byte[] plain;
            try (Mat grey = new Mat(480, 640, CV_8UC3, new Scalar(90, 90, 90, 0))) {
                plain = JpegEncoder.encode(grey, 90);
            }
            byte[] huge = LargeImages.png(20_000, 20_000);
            byte[] corrupt = new byte[2 << 20];
            new Random(13).nextBytes(corrupt);
            corrupt[0] = (byte) 0xFF; // claims to be a JPEG
            corrupt[1] = (byte) 0xD8;
            corrupt[2] = (byte) 0xFF;
            var props = ks.producerProps("test");
            props.put("max.request.size", 16 << 20);
            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            try (DetectorService detector = DetectorService.start(s, metrics);
                 var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
                send(producer, codec, topics.frames(), 0, plain);
                awaitCommitted(ks, topics.frames(), 1); // the models are loaded and warm
                long peakBefore = peakResidentMib();
                send(producer, codec, topics.frames(), 1, huge);
                send(producer, codec, topics.frames(), 2, corrupt);
                send(producer, codec, topics.frames(), 3, plain);
                awaitCommitted(ks, topics.frames(), 4);
                long grown = peakResidentMib() - peakBefore;

                AvroCodec<DeadLetter> dl = new AvroCodec<>(ks.registryClient(), DeadLetter.class);
                List<DeadLetter> letters = new ArrayList<>();
                try (var c = new KafkaConsumer<String, byte[]>(ks.consumerProps("test-dlq", "test-dlq"))) {
                    c.subscribe(List.of(dlq));
                    long deadline = System.currentTimeMillis() + 30_000;
                    while (letters.size() < 2 && System.currentTimeMillis() < deadline) {
                        c.poll(Duration.ofMillis(500)).forEach(r -> letters.add(dl.decode(r.topic(), r.value())));
                    }
                }
                System.out.println("frames in 4 (a " + huge.length + "-byte 20000 x 20000 PNG, a 2 MiB corrupt frame), "
                        + "committed 4, dead letters " + letters.size() + ", peak resident memory grew " + grown + " MiB");
                letters.forEach(l -> System.out.println("  @" + l.getSourceOffset() + ": " + l.getErrorMessage()));
                assertEquals(2, letters.size());
                assertEquals(1L, letters.get(0).getSourceOffset());
                assertTrue(letters.get(0).getErrorMessage().contains("image too large: PNG of 20000 x 20000"),
                        letters.get(0).getErrorMessage());
                assertEquals(2L, letters.get(1).getSourceOffset());
                for (DeadLetter l : letters) {
                    assertEquals(null, l.getValue(), "too large for the producer: a reference, not the bytes");
                    assertTrue(l.getErrorMessage().contains(topics.frames() + "[0]@" + l.getSourceOffset()), l.getErrorMessage());
                }
                assertTrue(grown < 300, "the 1.2 GB of pixels was never allocated: peak grew " + grown + " MiB");
                assertEquals(2.0, metrics.get("vap.detector.frames").tag("result", "undecodable").counter().count());
                assertTrue(detector.healthy(), detector.describe());
            }
        }
    }

    private static void send(KafkaProducer<String, byte[]> p, AvroCodec<Frame> codec, String topic, long seq, byte[] image)
            throws Exception {
        Frame f = new Frame(1, "lobby", seq, Instant.now(), 640, 480, ByteBuffer.wrap(image), null);
        p.send(new ProducerRecord<>(topic, "lobby", codec.encode(topic, f))).get();
    }

    private static void awaitCommitted(KafkaSettings ks, String topic, long records) throws Exception {
        try (Admin admin = Admin.create(ks.common())) {
            long committed = 0;
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline) {
                committed = admin.listConsumerGroupOffsets("vap-detector").partitionsToOffsetAndMetadata().get()
                        .entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                        .mapToLong(e -> e.getValue().offset()).sum();
                if (committed == records) {
                    return;
                }
                Thread.sleep(250);
            }
            assertEquals(records, committed, "committed offsets on " + topic);
        }
    }

    private static long peakResidentMib() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0) >> 10;
    }
}
