package vap.core.serde;

/** The first byte is not the Confluent wire format's magic byte 0 (or the payload is empty). */
public final class UnknownMagicByteException extends WireFormatException {
    public UnknownMagicByteException(String message) {
        super(message, null);
    }
}
