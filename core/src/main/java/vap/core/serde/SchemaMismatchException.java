package vap.core.serde;

/** The writer's schema cannot be resolved to the schema this service reads (Avro schema resolution failed). */
public final class SchemaMismatchException extends WireFormatException {
    public SchemaMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
