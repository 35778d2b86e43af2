package vap.detector.mtcnn;

import java.util.List;

/**
 * The image pyramids of frames of one size, walked from the largest level down. Each level is area-resampled
 * from the previous one (not from the frame): the same anti-aliasing at a fraction of the cost, since only the
 * first resize reads the whole frame. The levels are OpenCV's {@code INTER_AREA} pixels, computed by
 * {@link AreaResize}.
 */
final class Pyramid {
    private final List<WorkFrame> frames;
    private final byte[][] previous;
    private int previousWidth;
    private int previousHeight;

    Pyramid(List<WorkFrame> frames) {
        this.frames = frames;
        this.previous = new byte[frames.size()][];
        this.previousWidth = frames.get(0).image.cols();
        this.previousHeight = frames.get(0).image.rows();
    }

    /**
     * Frames {@code from .. from + n - 1} resized to their next level of {@code w x h}, as one P-Net input. Every
     * frame moves down one level per call, the frames of one call after those of the calls before it.
     */
    NetInput nextLevel(int from, int n, int w, int h) {
        float[] data = new float[n * 3 * w * h];
        int sw = previousWidth;
        int sh = previousHeight;
        for (int i = 0; i < n; i++) {
            int k = from + i;
            byte[] source = previous[k] == null ? frames.get(k).pixels() : previous[k];
            previous[k] = AreaResize.resize(source, sw, sh, w, h);
            PixelPacking.pack(previous[k], w, h, frames.get(k).channels, data, i * 3 * w * h);
        }
        if (from + n == frames.size()) {
            previousWidth = w;
            previousHeight = h;
        }
        return new NetInput(data, n, w, h);
    }
}
