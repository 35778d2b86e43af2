package vap.vision.image;

import java.util.HexFormat;

/** The container format, from the file's magic bytes: enough to name it in errors and to check JPEG truncation. */
enum ImageFormat {
    JPEG("JPEG"), PNG("PNG"), BMP("BMP"), WEBP("WebP"), GIF("GIF"), TIFF("TIFF"), UNKNOWN("data");

    private final String label;

    ImageFormat(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    static ImageFormat sniff(byte[] b) {
        if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (startsWith(b, 'B', 'M')) {
            return BMP;
        }
        if (startsWith(b, 'R', 'I', 'F', 'F') && b.length >= 12 && b[8] == 'W' && b[9] == 'E' && b[10] == 'B'
                && b[11] == 'P') {
            return WEBP;
        }
        if (startsWith(b, 'G', 'I', 'F', '8')) {
            return GIF;
        }
        if (startsWith(b, 'I', 'I', 42, 0) || startsWith(b, 'M', 'M', 0, 42)) {
            return TIFF;
        }
        return UNKNOWN;
    }

    /**
     * Whether an end-of-image marker (FF D9) closes the JPEG. Some encoders append padding after it, so the
     * last 4 KiB are searched rather than only the last two bytes.
     */
    static boolean jpegHasEndMarker(byte[] b) {
        int stop = Math.max(2, b.length - 4096);
        for (int i = b.length - 2; i >= stop; i--) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) {
                return true;
            }
        }
        return false;
    }

    static String hexPrefix(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b, 0, Math.min(8, b.length));
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xFF) != (prefix[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }
}
