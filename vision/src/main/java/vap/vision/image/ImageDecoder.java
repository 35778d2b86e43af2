package vap.vision.image;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

/**
 * Turns encoded image bytes into the one pixel format the detector works on: an 8-bit, 3-channel BGR
 * {@link Mat}. OpenCV does the decoding (JPEG, PNG, BMP, WebP, TIFF and whatever else this OpenCV build reads)
 * and, with {@code IMREAD_COLOR}, the normalisation: grey and palette images are expanded to colour, alpha is
 * dropped, CMYK JPEGs are converted, 16-bit samples are reduced to 8 bits, and the EXIF orientation is applied.
 *
 * <p>The size is read from the header first ({@link ImageHeader}) and an image of more than the pixel limit
 * ({@link #DEFAULT_MAX_PIXELS}, or the caller's {@code <service>.max.image.pixels}) is refused before anything is
 * allocated, as is one whose header gives no size: a decoder's memory is bounded by the limit, not by the input.
 *
 * <p>Input that is not an image fails with an {@link ImageDecodeException} that says what was wrong, never with
 * an empty Mat. The caller owns (and closes) the returned Mat. Thread-safe.
 */
public final class ImageDecoder {
    /** 40 Mpx: an 8K frame is 33 Mpx; decoded as BGR this is at most 120 MB. */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    /** The key a service reads its limit from: {@code <service>.max.image.pixels}. */
    public static final String MAX_PIXELS_KEY = "max.image.pixels";

    private ImageDecoder() {
    }

    public static Mat decode(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ImageDecodeException(file.toString(), "cannot read the file (" + e.getMessage() + ")", e);
        }
        return decode(bytes, file.toString());
    }

    /**
     * @param sourceName where the bytes came from, for the error message (a file name, "camera lobby-1 frame 42")
     */
    public static Mat decode(byte[] bytes, String sourceName) {
        return decode(bytes, sourceName, DEFAULT_MAX_PIXELS);
    }

    /** @param maxPixels the largest width x height decoded; larger images fail before any pixel is allocated */
    public static Mat decode(byte[] bytes, String sourceName, long maxPixels) {
        if (bytes == null || bytes.length == 0) {
            throw new ImageDecodeException(sourceName, "no image data (0 bytes)");
        }
        ImageFormat format = ImageFormat.sniff(bytes);
        if (format == ImageFormat.UNKNOWN) {
            throw new ImageDecodeException(sourceName, "not an image: " + bytes.length + " bytes in no format vap "
                    + "reads (JPEG, PNG, BMP, WebP, GIF, TIFF; starts with " + ImageFormat.hexPrefix(bytes) + ")");
        }
        ImageHeader header = ImageHeader.read(format, bytes);
        if (header == null || header.width() <= 0 || header.height() <= 0) {
            throw new ImageDecodeException(sourceName, "corrupt " + describe(format, bytes)
                    + ": its header gives no image size");
        }
        if (header.pixels() > maxPixels) {
            throw new ImageDecodeException(sourceName, "image too large: " + format.label() + " of " + header.width()
                    + " x " + header.height() + " = " + header.pixels() + " pixels, more than the limit of " + maxPixels
                    + " (max.image.pixels); not decoded");
        }
        if (format == ImageFormat.JPEG && !ImageFormat.jpegHasEndMarker(bytes)) {
            // libjpeg fills a truncated JPEG with grey and only warns on stderr: a half-grey frame is not a frame.
            throw new ImageDecodeException(sourceName, "truncated JPEG (" + bytes.length
                    + " bytes, no end-of-image marker)");
        }
        Mat image;
        try (BytePointer data = new BytePointer(bytes); Mat encoded = new Mat(1, bytes.length, CV_8UC1, data)) {
            image = imdecode(encoded, IMREAD_COLOR);
        } catch (RuntimeException e) {
            throw new ImageDecodeException(sourceName, "OpenCV could not decode " + describe(format, bytes)
                    + ": " + e.getMessage(), e);
        }
        if (image == null || image.empty()) {
            if (image != null) {
                image.close();
            }
            throw new ImageDecodeException(sourceName, format == ImageFormat.UNKNOWN
                    ? "not an image: " + bytes.length + " bytes in no format OpenCV recognises (starts with "
                    + ImageFormat.hexPrefix(bytes) + ")"
                    : "corrupt or truncated " + describe(format, bytes));
        }
        return image;
    }

    private static String describe(ImageFormat format, byte[] bytes) {
        return format.label() + " (" + bytes.length + " bytes)";
    }
}
