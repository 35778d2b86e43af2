package vap.console.alerts;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import vap.core.kafka.KafkaSettings;
import vap.core.serde.AvroCodec;
import vap.messages.CropLocation;
import vap.messages.FaceCrop;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fetches a face crop from Kafka by its location (the FaceCrop record at topic/partition/offset) and keeps the
 * last few hundred JPEGs, since a page shows the same faces again and again. One consumer, no group, used by
 * one request at a time.
 */
public final class CropStore implements AutoCloseable {
    private static final int CACHED = 512;
    private final KafkaConsumer<String, byte[]> consumer;
    private final AvroCodec<FaceCrop> codec;
    private final Map<String, byte[]> cache = new LinkedHashMap<>(CACHED, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > CACHED;
        }
    };

    public CropStore(KafkaSettings kafka) {
        Map<String, Object> p = new HashMap<>(kafka.common());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "vap-console-crops");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        this.consumer = new KafkaConsumer<>(p);
        this.codec = new AvroCodec<>(kafka.registryClient(), FaceCrop.class, false);
    }

    /** The aligned crop JPEG at {@code at}; empty when the record is gone (retention) or not a FaceCrop. */
    public synchronized Optional<byte[]> alignedCrop(CropLocation at) {
        String key = at.getTopic() + "/" + at.getPartition() + "/" + at.getOffset();
        byte[] cached = cache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        TopicPartition tp = new TopicPartition(at.getTopic(), at.getPartition());
        consumer.assign(List.of(tp));
        consumer.seek(tp, at.getOffset());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() != at.getOffset()) {
                    return Optional.empty(); // compacted or expired: the next record is another face
                }
                ByteBuffer jpeg = codec.decode(r.topic(), r.value()).getAlignedCrop();
                byte[] bytes = new byte[jpeg.remaining()];
                jpeg.duplicate().get(bytes);
                cache.put(key, bytes);
                return Optional.of(bytes);
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
