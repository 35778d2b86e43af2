package vap.ingest.publish;

import org.apache.kafka.clients.producer.ProducerConfig;
import vap.core.kafka.KafkaSettings;

import java.util.HashMap;
import java.util.Map;

/**
 * Kafka producer settings for a video workload: records of 20 KB to a few MB, many cameras, latency in
 * tens of milliseconds acceptable, order per camera essential. Each value is explained where it is set; the
 * README's configuration table lists the keys.
 *
 * @param maxRequestSize largest request, hence largest frame record (ingest.kafka.max.request.size)
 * @param batchSize      bytes per partition batch (ingest.kafka.batch.size)
 * @param lingerMs       wait for more records before sending (ingest.kafka.linger.ms)
 * @param compression    none | lz4 | zstd | snappy | gzip (ingest.kafka.compression)
 * @param bufferMemory   producer memory for records not yet acknowledged (ingest.kafka.buffer.memory)
 */
public record ProducerSettings(int maxRequestSize, int batchSize, int lingerMs, String compression, long bufferMemory) {

    public static ProducerSettings defaults() {
        return new ProducerSettings(8 << 20, 256 << 10, 10, "none", 64L << 20);
    }

    /** The producer properties: the common ones of {@link KafkaSettings} (acks=all, idempotence) plus ours. */
    public Map<String, Object> producerProps(KafkaSettings kafka, String clientId) {
        Map<String, Object> p = new HashMap<>(kafka.producerProps(clientId));
        // Retries must neither duplicate a frame nor reorder a camera's frames (acks=all comes with it).
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // JPEG is already entropy-coded: on photographic frames lz4/snappy/zstd save nothing and gzip 0.1%
        // (README "Benchmark"), at 4-30 ms of CPU per MB in the producer and again in every consumer.
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        // A batch must hold at least one frame to batch at all (a larger record travels alone); 256 KB holds a
        // few 720p frames of cameras that share a partition.
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, batchSize);
        // Cameras publish every 40-200 ms; waiting 10 ms gathers the frames of many cameras into one request.
        p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        // The largest frame must fit in one request; the broker's message.max.bytes must allow it too.
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestSize);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(bufferMemory, 2L * maxRequestSize));
        // Frames older than this are worthless to live analytics; fail them (counted as send_failed) instead.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        // Overrides a user gave as kafka.* win over our choices.
        p.putAll(kafka.clientOverrides());
        return p;
    }
}
