package vap.core.serde;

/** The header is fine but the Avro body is truncated, has trailing bytes, or is not valid Avro binary. */
public final class MalformedPayloadException extends WireFormatException {
    public MalformedPayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
