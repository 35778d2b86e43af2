package vap.core.serde;

import java.nio.ByteBuffer;

/**
 * Confluent's wire format: byte 0 is the magic byte 0, bytes 1-4 the schema id (big-endian int32),
 * the rest the Avro binary encoding of the record under that schema.
 */
public final class WireFormat {
    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    public static byte[] frame(int schemaId, byte[] avroBody) {
        return ByteBuffer.allocate(HEADER_SIZE + avroBody.length).put(MAGIC_BYTE).putInt(schemaId).put(avroBody).array();
    }

    /** The schema id in the header; the payload must start with the magic byte. */
    public static int schemaId(String topic, byte[] payload) {
        if (payload == null || payload.length == 0) {
            throw new UnknownMagicByteException("empty payload on " + topic + ": expected magic byte 0 and a schema id");
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new UnknownMagicByteException(String.format(
                    "unknown magic byte 0x%02x on %s: not Confluent wire format (expected 0x00); %d bytes",
                    payload[0] & 0xff, topic, payload.length));
        }
        if (payload.length < HEADER_SIZE) {
            throw new MalformedPayloadException("payload of " + payload.length + " bytes on " + topic
                    + " is shorter than the 5-byte wire-format header", null);
        }
        return ByteBuffer.wrap(payload, 1, 4).getInt();
    }
}
