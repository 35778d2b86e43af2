package vap.sinks.alerts;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.core.registry.SchemaRegistryException;

import java.util.Map;

/**
 * What the alert stream does with a match it cannot decode. A record that is bad in itself (wrong magic byte,
 * malformed Avro) is skipped and counted, as before; but when the schema registry cannot be reached, the record
 * is fine and skipping it would lose an alert, so the stream thread fails after a short pause and is replaced
 * (SinksService's REPLACE_THREAD handler), re-reading from the last committed offset until the registry answers.
 */
public final class RegistryOutageHandler implements DeserializationExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(RegistryOutageHandler.class);
    /** Between attempts while the registry is away: short enough to recover quickly, long enough not to spin. */
    static final long PAUSE_MS = 2_000;

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception e) {
        if (isRegistryOutage(e)) {
            log.warn("alert stream: schema registry unavailable while decoding {}-{}@{} ({}); retrying from the "
                    + "committed offset in {} ms", record.topic(), record.partition(), record.offset(), e.getMessage(), PAUSE_MS);
            pause();
            return Response.fail();
        }
        log.warn("alert stream: skipping undecodable record {}-{}@{}: {}", record.topic(), record.partition(),
                record.offset(), e.toString());
        return Response.resume();
    }

    static boolean isRegistryOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException) {
                return true;
            }
        }
        return false;
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_MS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
