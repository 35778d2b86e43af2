package vap.core.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;
import vap.core.registry.SchemaRegistry;

import java.util.Map;

/**
 * Kafka serializer for generated Avro records in Confluent's wire format. Configure with
 * {@code schema.registry.url} (and optionally {@code basic.auth.user.info}, {@code auto.register.schemas}),
 * or construct it directly with a client.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    private SchemaRegistry registry;
    private boolean autoRegister = true;
    private final Map<Class<?>, AvroCodec<T>> codecs = new java.util.concurrent.ConcurrentHashMap<>();

    public AvroSerializer() {
    }

    public AvroSerializer(SchemaRegistry registry, boolean autoRegister) {
        this.registry = registry;
        this.autoRegister = autoRegister;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = SerdeConfig.registry(configs);
        Object auto = configs.get(SerdeConfig.AUTO_REGISTER);
        this.autoRegister = auto == null || Boolean.parseBoolean(auto.toString());
    }

    @Override
    @SuppressWarnings("unchecked")
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null; // tombstone
        }
        AvroCodec<T> codec = codecs.computeIfAbsent(data.getClass(),
                c -> new AvroCodec<>(registry, (Class<T>) c, autoRegister));
        return codec.encode(topic, data);
    }
}
