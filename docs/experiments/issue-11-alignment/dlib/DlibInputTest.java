package vap.vision.align;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dlib's integer and float encodings, byte by byte (the real model file is ShapePredictorTest's). */
class DlibInputTest {
    private static DlibInput of(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return new DlibInput(b, "test");
    }

    @Test
    void integersAreASizeByteThenLittleEndianMagnitude() {
        DlibInput in = of(0x01, 0x00, 0x01, 0x01, 0x81, 0x88, 0x02, 0xF4, 0x01, 0x84, 0x00, 0x00, 0x00, 0x80);
        assertEquals(0, in.integer());
        assertEquals(1, in.integer());
        assertEquals(-136, in.integer());
        assertEquals(500, in.integer());
        assertEquals(-(1L << 31), in.integer());
        assertTrue(in.atEnd());
    }

    @Test
    void floatsAreMantissaTimesTwoToTheExponent() {
        // 3 * 2^-2 = 0.75; -5 * 2^1 = -10; exponent 32000 = +infinity.
        DlibInput in = of(0x01, 0x03, 0x81, 0x02, 0x81, 0x05, 0x01, 0x01, 0x01, 0x00, 0x02, 0x00, 0x7D);
        assertEquals(0.75f, in.real());
        assertEquals(-10f, in.real());
        assertEquals(Float.POSITIVE_INFINITY, in.real());
    }

    @Test
    void columnsHaveNegatedSizesThenElements() {
        DlibInput in = of(0x81, 0x02, 0x81, 0x01, 0x01, 0x01, 0x01, 0x00, 0x01, 0x03, 0x81, 0x01);
        assertArrayEquals(new float[] {1f, 1.5f}, in.column());
    }

    @Test
    void refusesTruncatedAndTextEncodedData() {
        assertThrows(IllegalStateException.class, () -> of(0x02, 0x01).integer());
        assertThrows(IllegalStateException.class, () -> of('1', '.', '5').real());
    }
}
