package vap.core.admin;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import vap.core.kafka.KafkaSettings;
import vap.core.serde.AvroCodec;
import vap.messages.DeadLetter;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends the dead letters of one {@code <topic>.dlq} back to their source topic with their original key and value
 * bytes, once the cause is fixed. Progress is kept as the offsets of consumer group {@code groupId}, committed
 * after each acknowledged batch, so a second replay sends only what was dead-lettered since. A dead letter whose
 * value was left out (too large for the producer) is re-read from its source offset while the topic still has it.
 */
public final class DeadLetterReplay {
    /** What a replay did. */
    public record Result(long replayed, long fromSource, long missing) {
    }

    private final KafkaSettings kafka;
    private final String deadLetterTopic;
    private final String groupId;
    private final PrintStream progress;

    public DeadLetterReplay(KafkaSettings kafka, String deadLetterTopic, String groupId, PrintStream progress) {
        if (!deadLetterTopic.endsWith(".dlq")) {
            throw new IllegalArgumentException(deadLetterTopic + " is not a dead-letter topic (<topic>.dlq)");
        }
        this.kafka = kafka;
        this.deadLetterTopic = deadLetterTopic;
        this.groupId = groupId;
        this.progress = progress;
    }

    /** Replays everything on the topic when called (later arrivals wait for the next replay). */
    public Result run() {
        AvroCodec<DeadLetter> codec = new AvroCodec<>(kafka.registryClient(), DeadLetter.class, false);
        Map<String, Object> cp = kafka.consumerProps(groupId, groupId + "-" + Long.toHexString(System.nanoTime()));
        cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        long replayed = 0;
        long fromSource = 0;
        long missing = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(cp);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProps(groupId));
             KafkaConsumer<String, byte[]> source = new KafkaConsumer<>(
                     kafka.consumerProps(groupId + "-source", groupId + "-source"))) {
            List<TopicPartition> parts = consumer.partitionsFor(deadLetterTopic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(deadLetterTopic, p.partition())).toList();
            if (parts.isEmpty()) {
                progress.println(deadLetterTopic + ": no such topic, nothing to replay");
                return new Result(0, 0, 0);
            }
            consumer.assign(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(parts));
            long total = 0;
            for (TopicPartition tp : parts) {
                OffsetAndMetadata c = committed.get(tp);
                long from = c == null ? consumer.beginningOffsets(List.of(tp)).get(tp) : c.offset();
                consumer.seek(tp, from);
                total += Math.max(0, end.get(tp) - from);
            }
            progress.println(deadLetterTopic + ": " + total + " dead letter(s) to replay");
            while (!reachedEnd(consumer, parts, end)) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new java.util.ArrayList<>();
                for (ConsumerRecord<String, byte[]> r : records) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue; // arrived after the replay started
                    }
                    done.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    if (r.value() == null) {
                        continue;
                    }
                    DeadLetter dl = codec.decode(r.topic(), r.value());
                    byte[] value = bytes(dl.getValue());
                    if (value == null) {
                        value = fromSource(source, dl);
                        if (value == null) {
                            missing++;
                            progress.println("  " + dl.getSourceTopic() + "[" + dl.getSourcePartition() + "]@"
                                    + dl.getSourceOffset() + ": original no longer on its topic; skipped");
                            continue;
                        }
                        fromSource++;
                    }
                    byte[] key = bytes(dl.getKey());
                    sent.add(producer.send(new ProducerRecord<>(dl.getSourceTopic(),
                            key == null ? null : new String(key, StandardCharsets.UTF_8), value)));
                    replayed++;
                }
                if (!done.isEmpty()) {
                    producer.flush();
                    awaitAcknowledged(sent); // before the progress is committed: a failed send is replayed next time
                    consumer.commitSync(done);
                    progress.println("  replayed " + replayed + " of " + total);
                }
            }
        }
        progress.println(deadLetterTopic + ": replayed " + replayed + " (" + fromSource + " re-read from their source offset, "
                + missing + " no longer available)");
        return new Result(replayed, fromSource, missing);
    }

    private static void awaitAcknowledged(List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent) {
        for (var f : sent) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("replay stopped, nothing of this batch counted as done: " + e.getCause()
                        + (e.getCause() instanceof org.apache.kafka.common.errors.RecordTooLargeException
                        ? " (raise kafka.max.request.size, e.g. -D kafka.max.request.size=16777216)" : ""), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("replay interrupted", e);
            }
        }
    }

    private static boolean reachedEnd(KafkaConsumer<String, byte[]> c, List<TopicPartition> parts,
                                      Map<TopicPartition, Long> end) {
        for (TopicPartition tp : parts) {
            if (c.position(tp) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] fromSource(KafkaConsumer<String, byte[]> source, DeadLetter dl) {
        TopicPartition tp = new TopicPartition(dl.getSourceTopic(), dl.getSourcePartition());
        source.assign(List.of(tp));
        source.seek(tp, dl.getSourceOffset());
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, byte[]> r : source.poll(Duration.ofMillis(500))) {
                return r.offset() == dl.getSourceOffset() ? r.value() : null;
            }
        }
        return null;
    }

    private static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
