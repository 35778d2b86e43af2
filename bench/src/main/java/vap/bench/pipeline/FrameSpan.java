package vap.bench.pipeline;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import vap.core.kafka.KafkaSettings;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * When the cameras' first and last frame reached Kafka (record timestamps): a live run's throughput counted from
 * its first frame, not from the start of the cameras' RTSP connections, which take seconds each.
 */
final class FrameSpan {
    private FrameSpan() {
    }

    /** {first, last} record timestamp (epoch ms) of the topic's records, read without decoding them. */
    static long[] of(KafkaSettings kafka, String topic) {
        Map<String, Object> c = new HashMap<>(kafka.common());
        c.put("key.deserializer", ByteArrayDeserializer.class.getName());
        c.put("value.deserializer", ByteArrayDeserializer.class.getName());
        c.put("max.partition.fetch.bytes", 16 << 20);
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        try (var consumer = new KafkaConsumer<byte[], byte[]>(c)) {
            var parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            var end = consumer.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    first = Math.min(first, r.timestamp());
                    last = Math.max(last, r.timestamp());
                }
            }
        }
        return first == Long.MAX_VALUE ? new long[]{0, 0} : new long[]{first, last};
    }
}
