package vap.core.worker;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A decoded input record together with the raw record it came from (topic, partition, offset, bytes). */
public record Incoming<I>(ConsumerRecord<String, byte[]> record, I value) {
    public String key() {
        return record.key();
    }

    public String topic() {
        return record.topic();
    }

    public int partition() {
        return record.partition();
    }

    public long offset() {
        return record.offset();
    }
}
