package vap.ingest.decode;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.opencv.opencv_core.Mat;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.swscale.SWS_AREA;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

/**
 * Decoded picture to JPEG: one swscale pass from the codec's pixel format to BGR (downscaling on the way when
 * the camera has a max width), then libjpeg-turbo through OpenCV's {@code imencode}. That pair measured about
 * twice FFmpeg's own mjpeg encoder here (README "Benchmark"). Not thread-safe: one per camera thread;
 * buffers are reused from frame to frame.
 */
public final class JpegEncoder implements AutoCloseable {
    private final int quality;
    private final int maxWidth;
    private final IntPointer params;
    private final BytePointer out = new BytePointer();
    private final PointerPointer<BytePointer> dstData = new PointerPointer<>(4);
    private final IntPointer dstStride = new IntPointer(4);
    private SwsContext sws;
    private Mat bgr;
    private int width;
    private int height;

    /**
     * @param quality  JPEG quality 1..100
     * @param maxWidth downscale wider pictures to this width (0: keep the size)
     */
    public JpegEncoder(int quality, int maxWidth) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1..100, got " + quality);
        }
        this.quality = quality;
        this.maxWidth = maxWidth;
        this.params = new IntPointer(IMWRITE_JPEG_QUALITY, quality);
        for (int i = 0; i < 4; i++) {
            dstData.put(i, (BytePointer) null);
            dstStride.put(i, 0);
        }
    }

    /** Encodes {@code frame}; {@link #width()}/{@link #height()} then give the JPEG's size. */
    public byte[] encode(DecodedFrame frame) {
        AVFrame pic = frame.picture();
        int w = frame.width();
        int h = frame.height();
        int ow = w;
        int oh = h;
        if (maxWidth > 0 && w > maxWidth) {
            ow = maxWidth & ~1;
            oh = Math.max(2, (int) Math.round((double) h * ow / w) & ~1);
        }
        // Area averaging when shrinking avoids aliasing; plain conversion otherwise.
        int flags = ow < w ? SWS_AREA : SWS_BILINEAR;
        sws = sws_getCachedContext(sws, w, h, pic.format(), ow, oh, AV_PIX_FMT_BGR24, flags, null, null,
                (DoublePointer) null);
        if (sws == null) {
            throw new IllegalStateException("swscale cannot convert pixel format " + pic.format() + " at " + w + "x" + h);
        }
        if (bgr == null || bgr.cols() != ow || bgr.rows() != oh) {
            if (bgr != null) {
                bgr.close();
            }
            bgr = new Mat(oh, ow, CV_8UC3);
            dstData.put(0, bgr.data());
            dstStride.put(0, (int) bgr.step());
        }
        sws_scale(sws, pic.data(), pic.linesize(), 0, h, dstData, dstStride);
        if (!imencode(".jpg", bgr, out, params)) {
            throw new IllegalStateException("JPEG encoding failed for a " + ow + "x" + oh + " picture");
        }
        width = ow;
        height = oh;
        byte[] jpeg = new byte[(int) out.limit()];
        out.position(0).get(jpeg);
        return jpeg;
    }

    /** The BGR picture of the last {@link #encode} (what the JPEG holds), valid until the next call. */
    public Mat picture() {
        return bgr;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int quality() {
        return quality;
    }

    @Override
    public void close() {
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        if (bgr != null) {
            bgr.close();
        }
        out.close();
        params.close();
        dstData.close();
        dstStride.close();
    }
}
