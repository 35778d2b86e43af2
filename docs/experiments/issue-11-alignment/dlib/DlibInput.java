package vap.vision.align;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Shared by the shape predictor (this folder) and the DNN reader of ../../issue-11-dlib-float: integers, floats,
 * columns, and for the DNN file a reading position, strings, bools and tensors' raw little-endian IEEE floats.
 * Reads dlib's portable serialization ({@code dlib/serialize.h}) from a file held in memory: integers as a control
 * byte (low 4 bits: how many little-endian magnitude bytes follow, bit 7: negative) and floats as such an integer
 * mantissa followed by an integer base-2 exponent. Not thread-safe; one reader per file.
 */
public final class DlibInput {
    /** dlib's float_details exponents that stand for +infinity, -infinity and NaN. */
    private static final int INF = 32000;
    private static final int NEG_INF = 32001;
    private static final int NAN = 32002;

    private final byte[] bytes;
    private final String name;
    private int pos;

    public DlibInput(byte[] bytes, String name) {
        this.bytes = bytes;
        this.name = name;
    }

    public static DlibInput of(Path file) throws IOException {
        return new DlibInput(Files.readAllBytes(file), file.toString());
    }

    /** Where the next read starts (a byte offset into the file). */
    public int position() {
        return pos;
    }

    public void seek(int offset) {
        pos = offset;
    }

    public byte[] bytes() {
        return bytes;
    }

    /** A std::string: its length as an integer, then its bytes. */
    public String string() {
        int n = count();
        if (pos + n > bytes.length) {
            throw corrupt("string runs past the end");
        }
        String s = new String(bytes, pos, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        pos += n;
        return s;
    }

    /** A bool: one character, '1' or '0'. */
    public boolean bool() {
        int c = next();
        if (c != '0' && c != '1') {
            throw corrupt("bad bool 0x" + Integer.toHexString(c));
        }
        return c == '1';
    }

    /** {@code n} 4-byte little-endian IEEE floats (how dlib writes a tensor's data, not its portable float format). */
    public float[] rawFloats(int n) {
        if (pos + 4L * n > bytes.length) {
            throw corrupt("tensor data runs past the end");
        }
        float[] v = new float[n];
        java.nio.ByteBuffer.wrap(bytes, pos, 4 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        pos += 4 * n;
        return v;
    }

    public boolean atEnd() {
        return pos == bytes.length;
    }

    public long integer() {
        int control = next();
        int size = control & 0x0F;
        if (size > 8 || (control & 0x70) != 0) {
            throw corrupt("bad integer control byte 0x" + Integer.toHexString(control));
        }
        long magnitude = 0;
        for (int i = 0; i < size; i++) {
            magnitude |= (long) next() << (8 * i);
        }
        return (control & 0x80) != 0 ? -magnitude : magnitude;
    }

    /** A non-negative integer that fits an int (a count or an index). */
    public int count() {
        long v = integer();
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw corrupt("count out of range: " + v);
        }
        return (int) v;
    }

    public float real() {
        if ((peek() & 0x70) != 0) {
            throw corrupt("float in dlib's old text format (not supported)");
        }
        long mantissa = integer();
        long exponent = integer();
        if (exponent == INF) {
            return Float.POSITIVE_INFINITY;
        }
        if (exponent == NEG_INF) {
            return Float.NEGATIVE_INFINITY;
        }
        if (exponent == NAN) {
            return Float.NaN;
        }
        return (float) Math.scalb((double) mantissa, (int) exponent);
    }

    /** A {@code matrix<float,0,1>}: rows and columns (written negated by current dlib), then the elements. */
    public float[] column() {
        long rows = Math.abs(integer());
        long cols = Math.abs(integer());
        if (cols != 1 || rows > Integer.MAX_VALUE) {
            throw corrupt("expected a column vector, got " + rows + " x " + cols);
        }
        float[] v = new float[(int) rows];
        for (int i = 0; i < v.length; i++) {
            v[i] = real();
        }
        return v;
    }

    public IllegalStateException corrupt(String what) {
        return new IllegalStateException(name + " at byte " + pos + ": " + what);
    }

    private int peek() {
        if (pos >= bytes.length) {
            throw corrupt("unexpected end of file");
        }
        return bytes[pos] & 0xFF;
    }

    private int next() {
        int b = peek();
        pos++;
        return b;
    }
}
