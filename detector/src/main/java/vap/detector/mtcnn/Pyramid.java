package vap.detector.mtcnn;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import java.util.List;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * The image pyramids of frames of one size, walked from the largest level down. Each level is area-resampled
 * from the previous one (not from the frame): the same anti-aliasing at a fraction of the cost, since only the
 * first resize reads the whole frame.
 */
final class Pyramid implements AutoCloseable {
    private final List<WorkFrame> frames;
    private final Mat[] previous;

    Pyramid(List<WorkFrame> frames) {
        this.frames = frames;
        this.previous = new Mat[frames.size()];
    }

    /** Frames {@code from .. from + n - 1} resized to their next level of {@code w x h}, as one P-Net input. */
    NetInput nextLevel(int from, int n, int w, int h, byte[] scratch) {
        float[] data = new float[n * 3 * w * h];
        try (Size size = new Size(w, h)) {
            for (int i = 0; i < n; i++) {
                int k = from + i;
                Mat level = new Mat();
                resize(previous[k] == null ? frames.get(k).image : previous[k], level, size, 0, 0, INTER_AREA);
                if (previous[k] != null) {
                    previous[k].close();
                }
                previous[k] = level;
                PixelPacking.pack(level, frames.get(k).channels, data, i * 3 * w * h, scratch);
            }
        }
        return new NetInput(data, n, w, h);
    }

    @Override
    public void close() {
        for (Mat m : previous) {
            if (m != null) {
                m.close();
            }
        }
    }
}
