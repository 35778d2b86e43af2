package vap.vision.image;

/**
 * Width and height read from an image's header, without decoding a pixel: what lets the decoder refuse a
 * 20000 x 20000 PNG (a 1.2 GB allocation) before OpenCV allocates it. Knows the formats {@link ImageFormat} sniffs.
 */
record ImageHeader(long width, long height) {

    long pixels() {
        return width * height;
    }

    /** The dimensions, or null when the header is too short or malformed to say. */
    static ImageHeader read(ImageFormat format, byte[] b) {
        try {
            return switch (format) {
                case PNG -> b.length >= 24 && tag(b, 12, "IHDR") ? new ImageHeader(u32be(b, 16), u32be(b, 20)) : null;
                case GIF -> b.length >= 10 ? new ImageHeader(u16le(b, 6), u16le(b, 8)) : null;
                case BMP -> b.length >= 26 ? new ImageHeader(Math.abs((long) s32le(b, 18)), Math.abs((long) s32le(b, 22))) : null;
                case JPEG -> jpeg(b);
                case WEBP -> webp(b);
                case TIFF -> tiff(b);
                case UNKNOWN -> null;
            };
        } catch (ArrayIndexOutOfBoundsException e) {
            return null; // a header that claims more than the bytes hold
        }
    }

    /** The first start-of-frame segment (SOF0..SOF15 but DHT, JPG and DAC) carries the frame's size. */
    private static ImageHeader jpeg(byte[] b) {
        int i = 2;
        while (i + 9 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return null;
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            int length = u16be(b, i + 2);
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                return new ImageHeader(u16be(b, i + 7), u16be(b, i + 5));
            }
            if (marker == 0xDA || length < 2) {
                return null; // scan data before any frame header
            }
            i += 2 + length;
        }
        return null;
    }

    private static ImageHeader webp(byte[] b) {
        if (b.length < 30) {
            return null;
        }
        if (tag(b, 12, "VP8X")) {
            return new ImageHeader(1 + u24le(b, 24), 1 + u24le(b, 27));
        }
        if (tag(b, 12, "VP8L")) {
            long bits = u32le(b, 21);
            return new ImageHeader(1 + (bits & 0x3FFF), 1 + ((bits >>> 14) & 0x3FFF));
        }
        if (tag(b, 12, "VP8 ")) {
            return new ImageHeader(u16le(b, 26) & 0x3FFF, u16le(b, 28) & 0x3FFF);
        }
        return null;
    }

    /** Tags 256 (ImageWidth) and 257 (ImageLength) of the first image file directory. */
    private static ImageHeader tiff(byte[] b) {
        boolean le = b[0] == 'I';
        long ifd = le ? u32le(b, 4) : u32be(b, 4);
        int n = le ? u16le(b, (int) ifd) : u16be(b, (int) ifd);
        long w = -1;
        long h = -1;
        for (int k = 0; k < n; k++) {
            int e = (int) ifd + 2 + 12 * k;
            int tag = le ? u16le(b, e) : u16be(b, e);
            int type = le ? u16le(b, e + 2) : u16be(b, e + 2);
            long value = type == 3 ? (le ? u16le(b, e + 8) : u16be(b, e + 8)) : (le ? u32le(b, e + 8) : u32be(b, e + 8));
            if (tag == 256) {
                w = value;
            } else if (tag == 257) {
                h = value;
            }
        }
        return w < 0 || h < 0 ? null : new ImageHeader(w, h);
    }

    private static boolean tag(byte[] b, int at, String t) {
        for (int k = 0; k < 4; k++) {
            if (b[at + k] != t.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int u16be(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    private static int u16le(byte[] b, int i) {
        return (b[i + 1] & 0xFF) << 8 | (b[i] & 0xFF);
    }

    private static long u24le(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (long) (b[i + 2] & 0xFF) << 16;
    }

    private static long u32be(byte[] b, int i) {
        return ((long) u16be(b, i) << 16) | u16be(b, i + 2);
    }

    private static long u32le(byte[] b, int i) {
        return ((long) u16le(b, i + 2) << 16) | u16le(b, i);
    }

    private static int s32le(byte[] b, int i) {
        return (int) u32le(b, i);
    }
}
