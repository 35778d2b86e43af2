package vap.core.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import vap.core.config.Settings;
import vap.core.registry.SchemaRegistryClient;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How every service reaches Kafka and the schema registry. Any key under {@code kafka.} is passed to the
 * Kafka clients as is, which is how TLS and SASL settings reach them, e.g.
 * {@code kafka.security.protocol=SASL_SSL}, {@code kafka.sasl.jaas.config=...} (or VAP_KAFKA_SASL_JAAS_CONFIG
 * in the environment, to keep secrets out of files).
 */
public record KafkaSettings(String bootstrapServers, String registryUrl, String registryUserInfo,
                            Map<String, String> clientOverrides) {

    public static final String BOOTSTRAP = "kafka.bootstrap.servers";
    public static final String REGISTRY_URL = "registry.url";
    public static final String REGISTRY_USER_INFO = "registry.basic.auth.user.info";

    public static KafkaSettings from(Settings s) {
        Map<String, String> pass = new HashMap<>(s.withPrefix("kafka"));
        pass.remove("bootstrap.servers");
        return new KafkaSettings(s.required(BOOTSTRAP), s.required(REGISTRY_URL),
                s.string(REGISTRY_USER_INFO, null), Map.copyOf(pass));
    }

    public static KafkaSettings of(String bootstrapServers, String registryUrl) {
        return new KafkaSettings(bootstrapServers, registryUrl, null, Map.of());
    }

    public SchemaRegistryClient registryClient() {
        return new SchemaRegistryClient(registryUrl, Duration.ofSeconds(5), Duration.ofSeconds(10), registryUserInfo);
    }

    public Map<String, Object> common() {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", bootstrapServers);
        p.putAll(clientOverrides);
        return p;
    }

    /** String keys, byte[] values (values are encoded with AvroCodec), acknowledged by all in-sync replicas. */
    public Map<String, Object> producerProps(String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Retries must not reorder or duplicate a camera's records.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.putAll(common());
        return p;
    }

    /** String keys, raw byte[] values so that undecodable records can be dead-lettered, manual commits. */
    public Map<String, Object> consumerProps(String groupId, String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // Offsets are committed by the worker only after its output is acknowledged.
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Never hand a worker records of an aborted producer transaction.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.putAll(common());
        return p;
    }

    /**
     * A reader outside any group, that assigns its partitions itself and commits nothing (a view that follows a
     * topic); String keys, raw byte[] values, only records of committed transactions.
     */
    public Map<String, Object> readerProps(String clientId) {
        Map<String, Object> p = new HashMap<>(common());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return p;
    }

    /** A copy where the Kafka client settings {@code extra} win (e.g. a larger max.request.size for frames). */
    public KafkaSettings withClientOverrides(Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(clientOverrides);
        m.putAll(extra);
        return new KafkaSettings(bootstrapServers, registryUrl, registryUserInfo, Map.copyOf(m));
    }

    @Override
    public String toString() {
        return "KafkaSettings[bootstrap=" + bootstrapServers + ", registry=" + UrlMasking.mask(registryUrl)
                + ", overrides=" + clientOverrides.keySet() + "]";
    }
}
