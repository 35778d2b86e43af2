package vap.recognizer.embed;

/**
 * A square BGR image (bytes, row by row) into a face-api.js network's input: RGB floats, channels last,
 * {@code (x - mean) / scale} per channel, optionally mirrored (each row read right to left).
 */
final class ChannelsLastInput {
    private ChannelsLastInput() {
    }

    /** Writes the {@code side x side} image into {@code into} from {@code base} on (3 floats per pixel). */
    static void pack(byte[] bgr, int side, float[] meanRgb, float scale, boolean mirror, float[] into, int base) {
        int plane = side * side;
        for (int p = 0; p < plane; p++) {
            int q = mirror ? (p / side) * side + (side - 1 - p % side) : p;
            into[base + 3 * p] = ((bgr[3 * q + 2] & 0xff) - meanRgb[0]) / scale;
            into[base + 3 * p + 1] = ((bgr[3 * q + 1] & 0xff) - meanRgb[1]) / scale;
            into[base + 3 * p + 2] = ((bgr[3 * q] & 0xff) - meanRgb[2]) / scale;
        }
    }
}
