package vap.core.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import vap.core.registry.SchemaRegistry;

import java.util.Map;

/**
 * Kafka deserializer for one generated Avro type. Configure with {@code schema.registry.url} and
 * {@code vap.value.type} (the generated class), or construct it directly. Bad bytes raise a
 * {@link WireFormatException}; services that must not stall consume raw bytes and decode with
 * {@link AvroCodec} themselves so a bad record becomes a dead letter (see vap.core.worker).
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private AvroCodec<T> codec;

    public AvroDeserializer() {
    }

    public AvroDeserializer(SchemaRegistry registry, Class<T> type) {
        this.codec = new AvroCodec<>(registry, type, false);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object type = configs.get(SerdeConfig.VALUE_TYPE);
        if (type == null) {
            throw new IllegalArgumentException(SerdeConfig.VALUE_TYPE + " must name the generated Avro class to read");
        }
        try {
            Class<T> cls = (Class<T>) (type instanceof Class<?> c ? c : Class.forName(type.toString()));
            this.codec = new AvroCodec<>(SerdeConfig.registry(configs), cls, false);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(SerdeConfig.VALUE_TYPE + " = " + type + ": no such class", e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null; // tombstone
        }
        return codec.decode(topic, data);
    }
}
