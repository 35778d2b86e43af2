package vap.detector.mtcnn;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Cuts candidate boxes out of images into {@code size x size} network inputs, reusing its OpenCV buffers from one
 * crop to the next: each JavaCPP object costs an allocation plus JavaCPP's memory accounting (2.6% of a detector
 * thread's samples, with five of them per crop). Not thread-safe; one per batch being packed.
 */
final class CropSampler implements AutoCloseable {
    private final int size;
    private final Size target;
    private final Rect inside = new Rect();
    private final Mat patch = new Mat();
    private final Mat padded = new Mat();
    private final Scalar black = new Scalar(0, 0, 0, 0);
    private final byte[] scratch;

    CropSampler(int size) {
        this.size = size;
        this.target = new Size(size, size);
        this.scratch = new byte[size * size * 3];
    }

    /**
     * Samples the box (MTCNN's 1-based, inclusive corners) into a patch written at {@code offset} in the
     * {@link PixelPacking} layout: the part outside the image is black, as in the reference implementation, and the
     * patch is resized bilinearly (as MODELS.md and the reference implementation do).
     */
    void sample(Mat image, ChannelOrder order, int bx1, int by1, int bx2, int by2, float[] dst, int offset) {
        int left = bx1 - 1;
        int top = by1 - 1;
        int right = bx2 - 1;
        int bottom = by2 - 1;
        int sx0 = Math.max(left, 0);
        int sy0 = Math.max(top, 0);
        int sx1 = Math.min(right, image.cols() - 1);
        int sy1 = Math.min(bottom, image.rows() - 1);
        if (sx0 > sx1 || sy0 > sy1) {
            PixelPacking.fillBlack(dst, offset, 3 * size * size);
            return;
        }
        inside.x(sx0).y(sy0).width(sx1 - sx0 + 1).height(sy1 - sy0 + 1);
        try (Mat roi = new Mat(image, inside)) {
            if (sx0 != left || sy0 != top || sx1 != right || sy1 != bottom) {
                copyMakeBorder(roi, padded, sy0 - top, bottom - sy1, sx0 - left, right - sx1, BORDER_CONSTANT, black);
                resize(padded, patch, target, 0, 0, INTER_LINEAR);
            } else {
                resize(roi, patch, target, 0, 0, INTER_LINEAR);
            }
        }
        PixelPacking.pack(patch, order, dst, offset, scratch);
    }

    @Override
    public void close() {
        target.close();
        inside.close();
        patch.close();
        padded.close();
        black.close();
    }
}
