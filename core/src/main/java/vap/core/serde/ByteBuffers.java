package vap.core.serde;

import java.nio.ByteBuffer;

/** Avro's bytes fields arrive as ByteBuffers; consumers want the array. */
public final class ByteBuffers {
    private ByteBuffers() {
    }

    /** The buffer's remaining bytes, copied; the buffer's position is left where it was (others may read it). */
    public static byte[] copyOf(ByteBuffer buffer) {
        ByteBuffer d = buffer.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
