package vap.testsupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import vap.core.kafka.KafkaSettings;
import vap.core.serde.AvroCodec;
import vap.embedded.EmbeddedKafka;
import vap.embedded.SchemaRegistryServer;
import vap.messages.Frame;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The embedded broker and schema registry (real Kafka, KRaft) for tests; reads frames topics back. */
public final class KafkaStack implements AutoCloseable {
    /** One record of the frames topic: raw bytes (to search for secrets) and the decoded Frame. */
    public record FrameRecord(String key, byte[] rawKey, byte[] rawValue, Frame frame, int partition, long offset) {
    }

    private final SchemaRegistryServer registry;
    private final EmbeddedKafka kafka;

    public KafkaStack(Path dir) {
        registry = SchemaRegistryServer.start(0);
        kafka = EmbeddedKafka.start(dir);
    }

    public KafkaSettings settings() {
        return KafkaSettings.of(kafka.bootstrapServers(), registry.url());
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    public void createTopic(String name, int partitions) {
        kafka.createTopic(name, partitions, false);
    }

    /** A compacted topic, as the gallery and the feedback topic are. */
    public void createCompactedTopic(String name, int partitions) {
        kafka.createTopic(name, partitions, true);
    }

    /** Every record of {@code topic} from the beginning, in partition order. */
    public List<FrameRecord> frames(String topic) {
        AvroCodec<Frame> codec = new AvroCodec<>(settings().registryClient(), Frame.class);
        List<FrameRecord> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20))) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 30_000;
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p)) && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    out.add(new FrameRecord(new String(r.key(), StandardCharsets.UTF_8), r.key(), r.value(),
                            codec.decode(topic, r.value()), r.partition(), r.offset()));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        kafka.close();
        registry.close();
    }
}
