package vap.core.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes on a topic that are not a record we can read. Subclasses say why; consumers catch this one type
 * and route the record to a dead-letter topic instead of stopping.
 */
public abstract sealed class WireFormatException extends SerializationException
        permits UnknownMagicByteException, UnknownSchemaIdException, MalformedPayloadException, SchemaMismatchException {
    protected WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
