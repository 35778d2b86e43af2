package vap.ingest.publish;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vap.core.kafka.KafkaSettings;
import vap.core.serde.AvroCodec;
import vap.embedded.SchemaRegistryServer;
import vap.testsupport.Await;
import vap.ingest.health.CameraHealth;
import vap.ingest.health.CameraHealth.DropReason;
import vap.messages.Frame;

import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The publisher when Kafka cannot keep up: a real producer against a Kafka address where nobody answers, so
 * nothing is ever acknowledged. Frames beyond the in-flight limit are dropped and counted at once; the camera
 * is never blocked; frames that expire are counted as failed.
 */
class FramePublisherTest {
    static SchemaRegistryServer registry;

    @BeforeAll
    static void start() {
        registry = SchemaRegistryServer.start(0);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void dropsInsteadOfQueueingWhenKafkaDoesNotAcknowledge() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        KafkaSettings kafka = KafkaSettings.of("127.0.0.1:" + deadPort, registry.url());
        Map<String, Object> props = ProducerSettings.defaults().producerProps(kafka, "test");
        // Kafka gives up on these frames after 6 s: long enough that a publish() that waited for Kafka would
        // show as failures already counted when the loop ends, short enough for the test.
        props.put("max.block.ms", 6000);
        props.put("delivery.timeout.ms", 7000);
        props.put("request.timeout.ms", 5000);
        AvroCodec<Frame> codec = new AvroCodec<>(kafka.registryClient(), Frame.class);
        CameraHealth health = new CameraHealth("cam", "u", 5, new SimpleMeterRegistry(), Clock.systemUTC());
        try (FramePublisher p = new FramePublisher(new KafkaProducer<>(props), codec, "bp.frames", 1 << 20, 3)) {
            for (int i = 0; i < 20; i++) {
                if (p.hasCapacity("cam")) {
                    p.publish(health, frame(i, 1000), 85);
                } else {
                    health.dropped(DropReason.BACKPRESSURE);
                }
            }
            // All 20 offers returned before Kafka settled anything: nothing failed yet, three wait, 17 dropped.
            assertEquals(0, health.droppedCount(DropReason.SEND_FAILED), "publish() waited for Kafka");
            assertEquals(17, health.droppedCount(DropReason.BACKPRESSURE));
            assertEquals(3, p.inFlight("cam"));
            assertFalse(p.hasCapacity("cam"));
            assertTrue(p.hasCapacity("other-camera"), "the limit is per camera");
            // The three in flight expire and are counted as failed; the camera may publish again.
            Await.until(Duration.ofSeconds(30), () -> health.droppedCount(DropReason.SEND_FAILED) == 3,
                    () -> "send_failed " + health.droppedCount(DropReason.SEND_FAILED));
            assertEquals(0, p.inFlight("cam"));
            assertTrue(p.hasCapacity("cam"));
            assertTrue(health.snapshot().lastError().startsWith("Kafka did not accept a frame"), health.snapshot().lastError());
            assertEquals(0, health.publishedCount());
        }
    }

    @Test
    void aFrameTooLargeForARequestIsRefusedWithAClearMessage() {
        KafkaSettings kafka = KafkaSettings.of("127.0.0.1:9", registry.url());
        Map<String, Object> props = ProducerSettings.defaults().producerProps(kafka, "test");
        props.put("max.block.ms", 500);
        CameraHealth health = new CameraHealth("big", "u", 5, new SimpleMeterRegistry(), Clock.systemUTC());
        AvroCodec<Frame> codec = new AvroCodec<>(kafka.registryClient(), Frame.class);
        try (FramePublisher p = new FramePublisher(new KafkaProducer<>(props), codec, "big.frames", 64 * 1024, 3)) {
            FrameTooLargeException e = assertThrows(FrameTooLargeException.class,
                    () -> p.publish(health, frame(0, 100_000), 95));
            assertTrue(e.getMessage().contains("camera big: a 3840x2160 frame encodes to"), e.getMessage());
            assertTrue(e.getMessage().contains("Lower the camera's quality (now 95), set its max.width"), e.getMessage());
            assertEquals(1, health.droppedCount(DropReason.TOO_LARGE));
            assertEquals(0, p.inFlight("big"));
        }
    }

    @Test
    void producerSettingsSuitVideo() {
        Map<String, Object> p = ProducerSettings.defaults().producerProps(KafkaSettings.of("k:9092", "http://r"), "c");
        assertEquals(true, p.get("enable.idempotence"));
        assertEquals("all", p.get("acks"));
        assertEquals("none", p.get("compression.type"));
        assertEquals(8 << 20, p.get("max.request.size"));
        assertTrue((Long) p.get("buffer.memory") >= 2L * (8 << 20));
        // A user's kafka.* override wins.
        Map<String, Object> o = ProducerSettings.defaults().producerProps(KafkaSettings.of("k:9092", "http://r")
                .withClientOverrides(Map.of("compression.type", "zstd")), "c");
        assertEquals("zstd", o.get("compression.type"));
    }

    private static Frame frame(long seq, int jpegBytes) {
        return Frame.newBuilder().setCameraId("cam").setSequence(seq).setCaptureTimestamp(Instant.now())
                .setWidth(3840).setHeight(2160).setJpeg(ByteBuffer.wrap(new byte[jpegBytes])).build();
    }
}
