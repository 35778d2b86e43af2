package vap.vision.image;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

/** JPEG-encodes 8-bit BGR Mats (face crops, annotated images) with OpenCV. Thread-safe. */
public final class JpegEncoder {
    private JpegEncoder() {
    }

    public static byte[] encode(Mat bgr, int quality) {
        try (BytePointer buffer = new BytePointer(); IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, quality)) {
            if (!imencode(".jpg", bgr, buffer, params)) {
                throw new IllegalStateException("OpenCV could not JPEG-encode a " + bgr.cols() + "x" + bgr.rows()
                        + " image of type " + bgr.type());
            }
            byte[] bytes = new byte[(int) buffer.limit()];
            buffer.get(bytes);
            return bytes;
        }
    }
}
