package vap.detector.mtcnn;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import java.util.List;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * A frame being processed: the image the cascade sees (maybe shrunk, always BGR), its scale, the channel order the
 * networks are fed its pixels in, and its current candidates.
 */
final class WorkFrame implements AutoCloseable {
    final Mat image;
    final WorkingScale scale;
    final ChannelOrder channels;
    private final boolean ownsImage;
    List<Candidate> candidates = List.of();
    private byte[] pixels;

    private WorkFrame(Mat image, WorkingScale scale, ChannelOrder channels, boolean ownsImage) {
        this.image = image;
        this.scale = scale;
        this.channels = channels;
        this.ownsImage = ownsImage;
    }

    static WorkFrame of(Mat original, int maxSide, ChannelOrder channels) {
        WorkingScale scale = WorkingScale.fit(original.cols(), original.rows(), maxSide);
        if (scale.keeps(original.cols(), original.rows())) {
            return new WorkFrame(original, scale, channels, false);
        }
        Mat small = new Mat();
        try (Size size = new Size(scale.width(), scale.height())) {
            resize(original, small, size, 0, 0, INTER_AREA);
        }
        return new WorkFrame(small, scale, channels, true);
    }

    /** The frame turned by {@code rotation} (its scale stays the source's: faces are turned back first). */
    static WorkFrame rotated(WorkFrame source, FrameRotation rotation) {
        return new WorkFrame(rotation.apply(source.image), source.scale, source.channels, true);
    }

    /** The image's BGR bytes, row by row, read once (the pyramid and the large-face levels shrink them in Java). */
    byte[] pixels() {
        if (pixels == null) {
            pixels = PixelPacking.bytes(image);
        }
        return pixels;
    }

    @Override
    public void close() {
        if (ownsImage) {
            image.close();
        }
    }
}
