package vap.bench.pipeline;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.Topics;
import vap.demo.PipelineProgress;
import vap.detector.service.DetectorConfig;
import vap.detector.service.DetectorService;
import vap.recognizer.RecognizerConfig;
import vap.recognizer.service.RecognizerService;
import vap.sinks.SinksConfig;
import vap.sinks.SinksService;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The replay phase of {@code vap pipeline-bench}: the frames the last live run recorded, processed again from Kafka
 * by the whole pipeline and by each heavy stage alone, with the CPU each stage took. With {@code comparePerFrame}
 * the recognizer alone and the whole pipeline run twice on the same input: per-track recognition (the settings as
 * given) and per-frame recognition ({@code recognizer.track.reembed.interval=0ms}: every face embedded).
 *
 * <p>Every pipeline run writes to topics of its own (a prefix per run) with new producers, and every copy waits for
 * its new topic's leaders and keeps one request in flight: a fresh partition answers NOT_LEADER_OR_FOLLOWER for a
 * moment, and an idempotent producer with five batches in flight then lands a later sequence number before the
 * first one, which the broker refuses and logs as OutOfOrderSequenceException.
 */
final class PipelineReplay {
    static final Map<String, String> PER_FRAME = Map.of("recognizer.track.reembed.interval", "0ms");

    private final KafkaSettings kafka;
    private final Path dir;
    private final Settings base;
    private final Topics live = Topics.defaults();

    PipelineReplay(KafkaSettings kafka, Path dir, Settings base) {
        this.kafka = kafka;
        this.dir = dir;
        this.base = base;
    }

    List<String> run(boolean comparePerFrame) throws Exception {
        long frames;
        long faces;
        try (PipelineProgress p = new PipelineProgress(kafka, List.of())) {
            frames = p.endOffset(live.frames());
            faces = p.endOffset(live.faces());
        }
        double facesPerFrame = (double) faces / Math.max(1, frames);
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "replay of %d recorded frames (%d faces, %.2f faces/frame) from Kafka, fresh consumer groups:",
                frames, faces, facesPerFrame));
        // The recognizer first: the detector alone re-publishes faces to vap.faces, which would grow its input.
        Timed recognizer = recognizerAlone("bench-recognizer-alone", base, faces);
        Timed recognizerPerFrame = comparePerFrame
                ? recognizerAlone("bench-recognizer-alone-per-frame", base.with(PER_FRAME), faces) : null;
        Timed pipeline = pipeline("replay.", base, frames);
        Timed pipelinePerFrame = comparePerFrame ? pipeline("replay-per-frame.", base.with(PER_FRAME), frames) : null;
        Timed detector = timeAlone("detector", frames, m -> DetectorService.start(DetectorConfig.from(
                        base.with(Map.of("detector.group.id", "bench-detector-alone"))), kafka, m),
                "bench-detector-alone", live.frames());
        double recognizerFrames = recognizer.rate() / Math.max(1e-9, facesPerFrame);
        double slowest = Math.min(detector.rate(), recognizerFrames);
        double serial = 1 / (1 / detector.rate() + 1 / recognizerFrames);
        out.add(String.format(Locale.ROOT, "    detector alone   %.2f frames/s; %s", detector.rate(), detector.cpu().perUnit(frames, "frame")));
        out.add("        " + detector.batches());
        out.add(String.format(Locale.ROOT, "    recognizer alone %.2f faces/s = %.2f frames/s, %d embeddings; %s", recognizer.rate(),
                recognizerFrames, recognizer.embeddings(), recognizer.cpu().perUnit(frames, "frame")));
        out.add("        " + recognizer.batches());
        if (recognizerPerFrame != null) {
            out.add(String.format(Locale.ROOT, "    recognizer alone, per-frame recognition %.2f faces/s = %.2f frames/s, %d embeddings; %s",
                    recognizerPerFrame.rate(), recognizerPerFrame.rate() / Math.max(1e-9, facesPerFrame),
                    recognizerPerFrame.embeddings(), recognizerPerFrame.cpu().perUnit(frames, "frame")));
        }
        out.add(String.format(Locale.ROOT, "    whole pipeline   %.2f frames/s, %d embeddings (detector + recognizer + database writers + alert stream at once); %s",
                pipeline.rate(), pipeline.embeddings(), pipeline.cpu().perUnit(frames, "frame")));
        out.add("        " + pipeline.batches());
        if (pipelinePerFrame != null) {
            out.add(String.format(Locale.ROOT, "    whole pipeline, per-frame recognition %.2f frames/s, %d embeddings; %s",
                    pipelinePerFrame.rate(), pipelinePerFrame.embeddings(), pipelinePerFrame.cpu().perUnit(frames, "frame")));
            out.add("        " + pipelinePerFrame.batches());
            out.add(String.format(Locale.ROOT, "    per-track / per-frame recognition: whole pipeline %.2fx frames/s, recognizer alone %.2fx faces/s, "
                            + "recognizer alone CPU per frame %.0f vs %.0f ms; detector alone CPU per frame %.0f ms; whole pipeline CPU per frame %.0f vs %.0f ms",
                    pipeline.rate() / pipelinePerFrame.rate(), recognizer.rate() / recognizerPerFrame.rate(),
                    1000 * recognizer.cpu().processSeconds() / Math.max(1, frames),
                    1000 * recognizerPerFrame.cpu().processSeconds() / Math.max(1, frames),
                    1000 * detector.cpu().processSeconds() / Math.max(1, frames),
                    1000 * pipeline.cpu().processSeconds() / Math.max(1, frames),
                    1000 * pipelinePerFrame.cpu().processSeconds() / Math.max(1, frames)));
        }
        out.add(String.format(Locale.ROOT, "    pipeline / slowest stage alone = %.2f; pipeline / both stages back to back on the same cores "
                + "(1/(1/d+1/r) = %.2f frames/s) = %.2f", pipeline.rate() / slowest, serial, pipeline.rate() / serial));
        return out;
    }

    /** A stage's or the pipeline's throughput (records per second), the embeddings it computed, its CPU. */
    record Timed(double rate, long embeddings, ThreadCpu.Result cpu, String batches) {
    }

    private Timed recognizerAlone(String group, Settings settings, long faces) throws Exception {
        // Sightings are one per embedded crop: count what this run adds to the live run's topic.
        long before = endOffset(live.sightings());
        Timed t = timeAlone("recognizer", faces, m -> {
            try {
                return RecognizerService.start(settings.with(Map.of("recognizer.group.id", group)), m);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, group, live.faces());
        return new Timed(t.rate(), endOffset(live.sightings()) - before, t.cpu(), t.batches());
    }

    /** The whole pipeline on a copy of the frames under topics of its own, so it reads exactly the recorded input. */
    private Timed pipeline(String prefix, Settings settings, long frames) throws Exception {
        Topics topics = Topics.withPrefix(prefix);
        TopicAdmin.ensureTopics(kafka, topics, 4, (short) 1);
        awaitLeaders(List.of(topics.frames(), topics.gallery(), topics.faces(), topics.sightings(), topics.matches(), topics.alerts()));
        copyTopic(live.frames(), topics.frames());
        copyTopic(live.gallery(), topics.gallery());
        String name = prefix.replace(".", "");
        // Its own Streams application: the live runs' changelog topics have other partition counts.
        Settings s = settings.with(Map.of("topics.prefix", prefix, "watchlist.snapshot.dir", dir.resolve(name + "-watchlist").toString(),
                "sinks.alerts.state.dir", dir.resolve(name + "-streams").toString(),
                "sinks.alerts.application.id", "vap-alerts-" + name));
        var metrics = new SimpleMeterRegistry();
        try (PipelineProgress progress = new PipelineProgress(kafka, List.of());
             SinksService sinks = SinksService.start(SinksConfig.from(s), kafka, metrics);
             RecognizerService recognizer = RecognizerService.start(s, metrics)) {
            ThreadCpu cpu = ThreadCpu.start();
            long t0 = System.nanoTime();
            try (DetectorService detector = DetectorService.start(DetectorConfig.from(s), kafka, metrics)) {
                // The detector publishes faces as it goes, so the recognizer's input grows: wait on all three in turn.
                progress.awaitDrained(Map.of(DetectorConfig.from(s).groupId(), topics.frames()), 900_000);
                progress.awaitDrained(Map.of(RecognizerConfig.from(s).groupId(), topics.faces(),
                        SinksConfig.from(s).groupId(), topics.sightings()), 900_000);
                double rate = frames / ((System.nanoTime() - t0) / 1e9);
                return new Timed(rate, progress.endOffset(topics.sightings()), cpu.stop(), BatchStats.describe(metrics)); // before the threads end
            }
        }
    }

    private static Timed timeAlone(String what, long records, java.util.function.Function<SimpleMeterRegistry, AutoCloseable> start,
                                   String group, String topic, KafkaSettings kafka) throws Exception {
        var metrics = new SimpleMeterRegistry();
        try (PipelineProgress progress = new PipelineProgress(kafka, List.of())) {
            try (AutoCloseable service = start.apply(metrics)) {
                ThreadCpu cpu = ThreadCpu.start(); // after the models are loaded
                long t0 = System.nanoTime();
                if (!progress.awaitDrained(Map.of(group, topic), 900_000)) {
                    throw new IllegalStateException(what + " did not finish the replay in 15 minutes");
                }
                return new Timed(records / ((System.nanoTime() - t0) / 1e9), 0, cpu.stop(), BatchStats.describe(metrics)); // before the threads end
            }
        }
    }

    private Timed timeAlone(String what, long records, java.util.function.Function<SimpleMeterRegistry, AutoCloseable> start,
                            String group, String topic) throws Exception {
        return timeAlone(what, records, start, group, topic, kafka);
    }

    private long endOffset(String topic) {
        try (PipelineProgress p = new PipelineProgress(kafka, List.of())) {
            return p.endOffset(topic);
        }
    }

    /** Waits until every partition of the topics has a leader that serves it, so a first send is not refused. */
    private void awaitLeaders(List<String> names) throws Exception {
        try (Admin admin = Admin.create(kafka.common())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                var described = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
                boolean ready = described.values().stream().flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (ready) {
                    // The metadata names a leader a moment before that broker serves the partition: ask the
                    // leaders themselves (ListOffsets is answered by the leader only; the admin client retries).
                    Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> all = new HashMap<>();
                    described.values().forEach(d -> d.partitions().forEach(p -> all.put(
                            new TopicPartition(d.name(), p.partition()), org.apache.kafka.clients.admin.OffsetSpec.latest())));
                    admin.listOffsets(all).all().get(30, TimeUnit.SECONDS);
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no leader for some partitions of " + names + " after 30 s");
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Copies a topic's records byte for byte (same keys, same schema ids) into another topic. One request in
     * flight: a batch refused by a partition whose leadership is still settling is retried before the next one
     * is sent, so no later sequence number reaches the broker first.
     */
    private void copyTopic(String from, String to) throws Exception {
        Map<String, Object> c = new HashMap<>(kafka.common());
        c.put("key.deserializer", StringDeserializer.class.getName());
        c.put("value.deserializer", ByteArrayDeserializer.class.getName());
        c.put("max.partition.fetch.bytes", 16 << 20);
        Map<String, Object> p = new HashMap<>(kafka.common());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        try (var consumer = new KafkaConsumer<String, byte[]>(c);
             var producer = new KafkaProducer<String, byte[]>(p)) {
            var parts = consumer.partitionsFor(from, Duration.ofSeconds(30)).stream()
                    .map(pi -> new TopicPartition(from, pi.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            var end = consumer.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    producer.send(new ProducerRecord<>(to, r.key(), r.value()));
                }
            }
            producer.flush();
        }
    }
}
