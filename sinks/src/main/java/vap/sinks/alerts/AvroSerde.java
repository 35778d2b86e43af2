package vap.sinks.alerts;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import vap.core.registry.SchemaRegistry;
import vap.core.serde.AvroDeserializer;
import vap.core.serde.AvroSerializer;

/** A Kafka Streams serde for one generated Avro type in the Confluent wire format. */
public final class AvroSerde {
    private AvroSerde() {
    }

    public static <T extends SpecificRecord> Serde<T> of(SchemaRegistry registry, Class<T> type) {
        return Serdes.serdeFrom(new AvroSerializer<>(registry, true), new AvroDeserializer<>(registry, type));
    }
}
