package vap.vision.image;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.vision.TestImages;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.bytedeco.opencv.global.opencv_core.CV_16UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every input the detector may be handed: formats, pixel modes, orientation, and bytes that are not images. */
class ImageDecoderTest {

    @Test
    void decodesJpegPngBmpAndWebpToEightBitBgr() {
        try (Mat photo = TestImages.sample(1, 240)) {
            for (String ext : new String[]{".png", ".bmp", ".jpg", ".webp"}) {
                byte[] bytes = encode(ext, photo);
                try (Mat decoded = ImageDecoder.decode(bytes, "sample" + ext)) {
                    assertEquals(CV_8UC3, decoded.type(), ext);
                    assertEquals(photo.cols(), decoded.cols(), ext);
                    assertEquals(photo.rows(), decoded.rows(), ext);
                    double error = meanAbsoluteDifference(photo, decoded);
                    // PNG and BMP are lossless; JPEG and WebP at OpenCV's default quality stay close.
                    assertTrue(ext.equals(".png") || ext.equals(".bmp") ? error == 0 : error < 6,
                            ext + " mean error " + error);
                }
            }
        }
    }

    @Test
    void greyPngKeepsItsExactGreyLevelsInAllThreeChannels() throws IOException {
        BufferedImage grey = new BufferedImage(16, 8, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = grey.getRaster();
        for (int x = 0; x < 16; x++) {
            for (int y = 0; y < 8; y++) {
                r.setSample(x, y, 0, x * 16 + 3);
            }
        }
        try (Mat decoded = ImageDecoder.decode(png(grey), "grey.png")) {
            assertEquals(CV_8UC3, decoded.type());
            for (int x = 0; x < 16; x++) {
                assertArrayEquals(new int[]{x * 16 + 3, x * 16 + 3, x * 16 + 3}, bgr(decoded, x, 5), "column " + x);
            }
        }
    }

    @Test
    void palettePngBecomesItsPaletteColours() throws IOException {
        byte[] red = {(byte) 200, 10};
        byte[] green = {30, (byte) 220};
        byte[] blue = {40, 50};
        BufferedImage indexed = new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_BINARY,
                new IndexColorModel(1, 2, red, green, blue));
        indexed.getRaster().setSample(7, 2, 0, 1);
        try (Mat decoded = ImageDecoder.decode(png(indexed), "palette.png")) {
            assertEquals(CV_8UC3, decoded.type());
            assertArrayEquals(new int[]{40, 30, 200}, bgr(decoded, 0, 0), "palette entry 0 as BGR");
            assertArrayEquals(new int[]{50, 220, 10}, bgr(decoded, 7, 2), "palette entry 1 as BGR");
        }
    }

    @Test
    void rgbaPngDropsAlphaAndSixteenBitPngKeepsTheHighByte() {
        try (Mat rgba = new Mat(6, 9, CV_8UC4, new Scalar(10, 20, 30, 128));
             Mat decoded = ImageDecoder.decode(encode(".png", rgba), "rgba.png")) {
            assertEquals(CV_8UC3, decoded.type());
            assertArrayEquals(new int[]{10, 20, 30}, bgr(decoded, 4, 3));
        }
        try (Mat deep = new Mat(6, 9, CV_16UC3, new Scalar(0xAB12, 0x3456, 0xFFFF, 0));
             Mat decoded = ImageDecoder.decode(encode(".png", deep), "deep.png")) {
            assertEquals(CV_8UC3, decoded.type());
            assertArrayEquals(new int[]{0xAB, 0x34, 0xFF}, bgr(decoded, 2, 2));
        }
    }

    @Test
    void cmykJpegBecomesBgr() throws IOException {
        // A four-channel JPEG is CMYK to libjpeg. Photoshop and PIL store the ink inverted (Adobe convention:
        // 255 = no ink), which is how OpenCV reads it. Left half: no ink (white); right half: full cyan.
        WritableRaster cmyk = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 32, 16, 4, null);
        for (int x = 0; x < 32; x++) {
            for (int y = 0; y < 16; y++) {
                cmyk.setPixel(x, y, x < 16 ? new int[]{255, 255, 255, 255} : new int[]{0, 255, 255, 255});
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(cmyk, null, null), null);
        } finally {
            writer.dispose();
        }
        try (Mat decoded = ImageDecoder.decode(out.toByteArray(), "cmyk.jpg")) {
            assertEquals(CV_8UC3, decoded.type());
            assertEquals(32, decoded.cols());
            int[] left = bgr(decoded, 4, 8);
            int[] right = bgr(decoded, 28, 8);
            assertTrue(Arrays.stream(left).allMatch(v -> v > 200), "no ink is white: " + Arrays.toString(left));
            assertTrue(right[2] < 60 && right[1] > 200 && right[0] > 200, "cyan is blue + green: "
                    + Arrays.toString(right));
        }
    }

    @Test
    void jpegExifOrientationIsApplied() {
        // 60 x 40, a white block at the top-left; EXIF orientation 6 means "rotate 90 degrees clockwise to view".
        try (Mat m = new Mat(40, 60, CV_8UC3, Scalar.all(0))) {
            try (Mat block = m.apply(new org.bytedeco.opencv.opencv_core.Rect(0, 0, 10, 10))) {
                block.put(Scalar.all(255));
            }
            byte[] rotated = withExifOrientation(encode(".jpg", m), 6);
            try (Mat decoded = ImageDecoder.decode(rotated, "exif6.jpg")) {
                assertEquals(40, decoded.cols(), "width and height swap");
                assertEquals(60, decoded.rows());
                assertTrue(bgr(decoded, 35, 4)[0] > 200, "the top-left block is now top-right");
                assertTrue(bgr(decoded, 4, 4)[0] < 50, "and no longer top-left");
            }
        }
    }

    @Test
    void rejectsEmptyTruncatedAndNonImageBytesWithAClearMessage() {
        ImageDecodeException empty = assertThrows(ImageDecodeException.class,
                () -> ImageDecoder.decode(new byte[0], "cam-1 frame 7"));
        assertEquals("cam-1 frame 7: no image data (0 bytes)", empty.getMessage());

        byte[] jpeg;
        byte[] png;
        try (Mat photo = TestImages.sample(2, 200)) {
            jpeg = encode(".jpg", photo);
            png = encode(".png", photo);
        }
        ImageDecodeException cutJpeg = assertThrows(ImageDecodeException.class,
                () -> ImageDecoder.decode(Arrays.copyOf(jpeg, jpeg.length / 2), "half.jpg"));
        assertTrue(cutJpeg.getMessage().startsWith("half.jpg: truncated JPEG"), cutJpeg.getMessage());

        ImageDecodeException cutPng = assertThrows(ImageDecodeException.class,
                () -> ImageDecoder.decode(Arrays.copyOf(png, png.length / 2), "half.png"));
        assertTrue(cutPng.getMessage().startsWith("half.png: corrupt or truncated PNG"), cutPng.getMessage());

        byte[] noise = new byte[5000];
        new Random(3).nextBytes(noise);
        noise[0] = 'x';
        ImageDecodeException garbage = assertThrows(ImageDecodeException.class,
                () -> ImageDecoder.decode(noise, "noise.bin"));
        assertTrue(garbage.getMessage().startsWith("noise.bin: not an image"), garbage.getMessage());
        assertEquals("noise.bin", garbage.sourceName());
    }

    @Test
    void aTwentyThousandSquarePngIsRefusedFromItsHeaderWithoutAllocatingIt() throws IOException {
        byte[] huge = hugePng(20_000, 20_000);
        long peakBefore = peakResidentKib(); // VmHWM counts native (OpenCV) memory as well as the heap
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(huge, "cam-1 frame 9"));
        long grownMib = (peakResidentKib() - peakBefore) >> 10;
        System.out.println("20000 x 20000 PNG of " + huge.length + " bytes refused; peak resident memory grew " + grownMib
                + " MiB: " + e.getMessage());
        assertTrue(e.getMessage().contains("image too large: PNG of 20000 x 20000 = 400000000 pixels"), e.getMessage());
        assertTrue(grownMib < 100, "nothing near the 1.2 GB of pixels was allocated: " + grownMib + " MiB");

        try (Mat small = TestImages.sample(2, 200)) {
            byte[] jpeg = encode(".jpg", small);
            ImageDecodeException limited = assertThrows(ImageDecodeException.class,
                    () -> ImageDecoder.decode(jpeg, "small.jpg", 100 * 100));
            assertTrue(limited.getMessage().contains("image too large: JPEG of"), limited.getMessage());
            for (String ext : new String[]{".png", ".bmp", ".webp", ".tiff"}) {
                byte[] bytes = encode(ext, small);
                try (Mat ok = ImageDecoder.decode(bytes, "small" + ext, (long) small.cols() * small.rows())) {
                    assertEquals(small.cols(), ok.cols(), ext + " width read from its header");
                }
                assertThrows(ImageDecodeException.class,
                        () -> ImageDecoder.decode(bytes, "small" + ext, (long) small.cols() * small.rows() - 1), ext);
            }
        }
    }

    private static long peakResidentKib() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return 0;
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmHWM:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0);
    }

    /** A valid PNG of the given size (all black), built row by row so the test never holds its pixels. */
    static byte[] hugePng(int width, int height) throws IOException {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] row = new byte[1 + 3 * width]; // filter byte 0, then RGB
        try (var z = new java.util.zip.DeflaterOutputStream(idat, new java.util.zip.Deflater(1), 1 << 16)) {
            for (int y = 0; y < height; y++) {
                z.write(row);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", ihdr.array());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        crc.update(t);
        crc.update(data);
        out.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(t);
        out.write(data);
        out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void missingFileIsADecodeErrorNamingTheFile(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nope.jpg");
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(missing));
        assertTrue(e.getMessage().contains("nope.jpg: cannot read the file"), e.getMessage());
        Path text = Files.writeString(dir.resolve("notes.jpg"), "not a jpeg at all");
        assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(text));
    }

    static byte[] encode(String ext, Mat image) {
        try (BytePointer buf = new BytePointer()) {
            assertTrue(imencode(ext, image, buf), "OpenCV encodes " + ext);
            byte[] bytes = new byte[(int) buf.limit()];
            buf.get(bytes);
            return bytes;
        }
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static int[] bgr(Mat m, int x, int y) {
        try (UByteIndexer idx = m.createIndexer()) {
            return new int[]{idx.get(y, x, 0), idx.get(y, x, 1), idx.get(y, x, 2)};
        }
    }

    private static double meanAbsoluteDifference(Mat a, Mat b) {
        try (Mat diff = new Mat(); Scalar m = mean(diffOf(a, b, diff))) {
            return (m.get(0) + m.get(1) + m.get(2)) / 3;
        }
    }

    private static Mat diffOf(Mat a, Mat b, Mat out) {
        absdiff(a, b, out);
        return out;
    }

    /** Inserts an APP1 Exif segment holding only an Orientation tag right after the JPEG's SOI marker. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = {
                'M', 'M', 0, 42, 0, 0, 0, 8,          // big-endian TIFF header, first IFD at offset 8
                0, 1,                                  // one entry
                0x01, 0x12, 0, 3, 0, 0, 0, 1,          // tag 0x0112 Orientation, SHORT, count 1
                0, (byte) orientation, 0, 0,           // value, padded
                0, 0, 0, 0};                           // no next IFD
        byte[] exif = new byte[6 + tiff.length];
        System.arraycopy(new byte[]{'E', 'x', 'i', 'f', 0, 0}, 0, exif, 0, 6);
        System.arraycopy(tiff, 0, exif, 6, tiff.length);
        int length = exif.length + 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.write(exif, 0, exif.length);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
