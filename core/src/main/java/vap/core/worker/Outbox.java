package vap.core.worker;

import org.apache.avro.specific.SpecificRecord;

/** Where a {@link BatchProcessor} puts its output; the worker commits input offsets once all of it is acknowledged. */
public interface Outbox {
    /** Sends {@code value} (null = tombstone) to {@code topic} under {@code key}. */
    void send(String topic, String key, SpecificRecord value);

    /** Gives up on one input: it goes to {@code <input topic>.dlq} with its original bytes and this error. */
    void deadLetter(Incoming<?> input, Throwable error);
}
