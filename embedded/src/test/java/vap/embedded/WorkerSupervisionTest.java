package vap.embedded;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.kafka.KafkaSettings;
import vap.core.serde.AvroCodec;
import vap.core.worker.BatchProcessor;
import vap.core.worker.BatchWorker;
import vap.core.worker.WorkerConfig;
import vap.core.worker.WorkerGroup;
import vap.messages.Frame;
import vap.messages.FrameRef;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vap.embedded.KafkaRoundTripTest.frame;

/**
 * Faults a worker must survive on a real broker: an Error out of the processor, a rebalance that makes the
 * commit fail, a registry outage while decoding; and a stuck worker that health must report. Each counts the
 * frames in and the distinct outputs out.
 */
class WorkerSupervisionTest {
    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static SchemaRegistryServer registry;

    @BeforeAll
    static void start() {
        registry = SchemaRegistryServer.start("127.0.0.1", 0, dir.resolve("registry.json"));
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
    }

    @AfterAll
    static void stop() {
        kafka.close();
        registry.close();
    }

    @Test
    void anErrorRestartsTheWorkerAndLosesNothing() throws Exception {
        String in = "sup.error.in";
        String out = "sup.error.out";
        KafkaSettings ks = KafkaSettings.of(kafka.bootstrapServers(), registry.url());
        produce(ks, in, 0, 6);
        AtomicBoolean thrown = new AtomicBoolean();
        BatchWorker<Frame> worker = worker(WorkerConfig.of("sup-error", "sup-error", in, 2, ks)
                .withRetryBackoff(Duration.ofMillis(100)), ks, out, f -> {
            if (f.getSequence() == 3 && thrown.compareAndSet(false, true)) {
                throw new OutOfMemoryError("test: a 1.2 GB image");
            }
        }).start();
        try {
            Set<Long> got = awaitOutputs(ks, out, 6);
            System.out.println("error fault: frames in 6, distinct outputs " + got.size() + ", restarts " + worker.restarts());
            assertEquals(Set.of(0L, 1L, 2L, 3L, 4L, 5L), got);
            assertEquals(1, worker.restarts());
            assertTrue(worker.lastFailure() instanceof OutOfMemoryError);
            await(() -> worker.state() == BatchWorker.State.RUNNING, "running again: " + worker.state());
        } finally {
            worker.close();
        }
    }

    @Test
    void aRebalanceDuringABatchDoesNotStopTheWorker() throws Exception {
        String in = "sup.rebalance.in";
        String out = "sup.rebalance.out";
        KafkaSettings ks = KafkaSettings.of(kafka.bootstrapServers(), registry.url())
                .withClientOverrides(Map.of("max.poll.interval.ms", "1500"));
        produce(ks, in, 0, 4);
        AtomicBoolean slow = new AtomicBoolean();
        // The first batch outlasts max.poll.interval.ms: the group drops the member and its commit fails.
        BatchWorker<Frame> worker = worker(WorkerConfig.of("sup-rebalance", "sup-rebalance", in, 10, ks), ks, out, f -> {
            if (slow.compareAndSet(false, true)) {
                Thread.sleep(4_000);
            }
        }).start();
        try {
            Set<Long> got = awaitOutputs(ks, out, 4);
            System.out.println("rebalance fault: frames in 4, distinct outputs " + got.size() + ", restarts "
                    + worker.restarts() + " after " + worker.lastFailure());
            assertEquals(Set.of(0L, 1L, 2L, 3L), got);
            assertTrue(worker.restarts() >= 1, "the failed commit was seen and recovered from");
            produce(ks, in, 4, 6);
            assertEquals(Set.of(0L, 1L, 2L, 3L, 4L, 5L), awaitOutputs(ks, out, 6), "still consuming after the rebalance");
        } finally {
            worker.close();
        }
    }

    @Test
    void aRegistryOutageWhileDecodingIsRetriedNotDeadLettered() throws Exception {
        String in = "sup.registry.in";
        String out = "sup.registry.out";
        // A second registry, down while the worker starts: its codec has no cached schema ids.
        Path state = dir.resolve("registry2.json");
        SchemaRegistryServer second = SchemaRegistryServer.start("127.0.0.1", 0, state);
        int port = second.port();
        KafkaSettings ks = KafkaSettings.of(kafka.bootstrapServers(), second.url());
        produce(ks, in, 0, 3);
        second.close();
        BatchWorker<Frame> worker = worker(WorkerConfig.of("sup-registry", "sup-registry", in, 10, ks)
                .withRetryBackoff(Duration.ofMillis(200)), ks, out, f -> { }).start();
        try {
            await(() -> worker.state() == BatchWorker.State.RETRYING, "retrying while the registry is down");
            SchemaRegistryServer back = SchemaRegistryServer.start("127.0.0.1", port, state);
            try {
                Set<Long> got = awaitOutputs(ks, out, 3);
                System.out.println("registry outage: frames in 3, outputs " + got.size() + ", dead letters "
                        + countRecords(in + ".dlq"));
                assertEquals(Set.of(0L, 1L, 2L), got);
                assertEquals(0, countRecords(in + ".dlq"), "an outage is not the records' fault");
                assertEquals(0, worker.restarts());
            } finally {
                back.close();
            }
        } finally {
            worker.close();
        }
    }

    @Test
    void healthReportsAStalledWorker() throws Exception {
        String in = "sup.stall.in";
        String out = "sup.stall.out";
        KafkaSettings ks = KafkaSettings.of(kafka.bootstrapServers(), registry.url());
        kafka.createTopic(in, 1, false);
        CountDownLatch release = new CountDownLatch(1);
        WorkerConfig wc = WorkerConfig.of("sup-stall", "sup-stall", in, 10, ks).withStallTimeout(Duration.ofSeconds(2));
        WorkerGroup group = WorkerGroup.start(1, i -> worker(wc, ks, out, f -> release.await()));
        try {
            await(group::healthy, "idle is healthy: " + group.describe());
            produce(ks, in, 0, 1);
            await(() -> !group.healthy(), "a worker stuck in a batch is reported");
            assertTrue(group.problems(Instant.now()).get(0).contains("made no progress"), group.describe());
            release.countDown();
            await(group::healthy, "healthy again once the batch commits: " + group.describe());
        } finally {
            release.countDown();
            group.close();
        }
    }

    interface FrameCheck {
        void check(Frame f) throws Exception;
    }

    private static BatchWorker<Frame> worker(WorkerConfig wc, KafkaSettings ks, String out, FrameCheck check) {
        BatchProcessor<Frame> p = (batch, outbox) -> {
            for (var f : batch) {
                check.check(f.value());
                outbox.send(out, f.key(), new FrameRef(f.value().getCameraId(), f.value().getSequence(),
                        f.value().getCaptureTimestamp()));
            }
        };
        return new BatchWorker<>(wc, new AvroCodec<>(ks.registryClient(), Frame.class), p, new SimpleMeterRegistry());
    }

    private static void produce(KafkaSettings ks, String topic, long from, long to) {
        kafka.createTopic(topic, 1, false);
        AvroCodec<Frame> frames = new AvroCodec<>(ks.registryClient(), Frame.class);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            for (long s = from; s < to; s++) {
                producer.send(new ProducerRecord<>(topic, "cam", frames.encode(topic, frame(s))));
            }
            producer.flush();
        }
    }

    /** The distinct sequences on {@code topic} once there are {@code n} of them (repeats are allowed, gaps are not). */
    private static Set<Long> awaitOutputs(KafkaSettings ks, String topic, int n) {
        AvroCodec<FrameRef> refs = new AvroCodec<>(ks.registryClient(), FrameRef.class);
        Set<Long> seen = new TreeSet<>();
        long deadline = System.currentTimeMillis() + 60_000;
        while (seen.size() < n && System.currentTimeMillis() < deadline) {
            seen.clear();
            try (KafkaConsumer<String, byte[]> c = rawConsumer()) {
                if (c.partitionsFor(topic, Duration.ofSeconds(5)).isEmpty()) {
                    continue;
                }
                KafkaRoundTripTest.readAtLeast(c, topic, 0, Duration.ofSeconds(1))
                        .forEach(r -> seen.add(refs.decode(topic, r.value()).getSequence()));
            }
        }
        return seen;
    }

    private static int countRecords(String topic) {
        try (KafkaConsumer<String, byte[]> c = rawConsumer()) {
            if (c.partitionsFor(topic, Duration.ofSeconds(2)).isEmpty()) {
                return 0;
            }
            return KafkaRoundTripTest.readAtLeast(c, topic, 0, Duration.ofSeconds(2)).size();
        }
    }

    private static KafkaConsumer<String, byte[]> rawConsumer() {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(100);
        }
    }
}
