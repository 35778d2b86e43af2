package vap.demo;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import vap.core.kafka.KafkaSettings;
import vap.core.serde.AvroCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Reads a whole topic, start to current end, without a consumer group (for summaries and the output video). */
public final class TopicReader {
    private TopicReader() {
    }

    public record Read<T>(ConsumerRecord<String, byte[]> record, T value) {
    }

    public static <T extends SpecificRecord> List<Read<T>> readAll(KafkaSettings kafka, String topic, Class<T> type,
                                                                 Predicate<T> keep) {
        AvroCodec<T> codec = new AvroCodec<>(kafka.registryClient(), type, false);
        Map<String, Object> p = new HashMap<>(kafka.common());
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("isolation.level", "read_committed");
        p.put("max.partition.fetch.bytes", 16 << 20);
        List<Read<T>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(pi -> new TopicPartition(topic, pi.partition())).toList();
            if (parts.isEmpty()) {
                return out;
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline && parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        continue;
                    }
                    T v = codec.decode(r.topic(), r.value());
                    if (keep.test(v)) {
                        out.add(new Read<>(r, v));
                    }
                }
            }
        }
        return out;
    }
}
