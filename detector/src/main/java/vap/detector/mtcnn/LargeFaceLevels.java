package vap.detector.mtcnn;

import java.util.ArrayList;
import java.util.List;

/**
 * Extra P-Net levels for faces as large as the image. The plain pyramid stops where the image's short side is
 * 12 px, so a face filling the frame meets P-Net only at its last level, with no context around it, and is
 * usually missed (a 150 x 150 face crop gives nothing). Here the image gets a black border of {@link #BORDER} of
 * its short side on every side (black, as R-Net and O-Net see outside the image) and P-Net scans the few levels
 * where such a face is 12-34 px: tiny images, so the common case pays well under 1% more.
 */
final class LargeFaceLevels {
    /** Border on each side, as a fraction of the image's short side: room for a face up to 1.5 x the short side. */
    static final double BORDER = 0.25;
    /** Levels from "the face is the bordered image" down to half of that (scaleFactor 0.709: four levels). */
    static final int LEVELS = 4;

    private LargeFaceLevels() {
    }

    /** One level: the image at {@code scale}, framed by {@code border} level pixels. */
    record Level(double scale, int border, int width, int height) {
        /** How far the level's origin lies left of / above the image's, in image pixels. */
        double offset() {
            return border / scale;
        }
    }

    /** The levels for an image, coarsest first; none that would look for faces under {@code minFaceSize}. */
    static List<Level> levels(int width, int height, int minFaceSize, double scaleFactor) {
        int shortSide = Math.min(width, height);
        double bordered = shortSide * (1 + 2 * BORDER);
        List<Level> out = new ArrayList<>();
        double scale = 12.0 / bordered;
        for (int k = 0; k < LEVELS; k++, scale /= scaleFactor) {
            if (12.0 / scale < minFaceSize) {
                break;
            }
            int border = (int) Math.round(BORDER * shortSide * scale);
            int w = Math.max(1, (int) Math.ceil(width * scale));
            int h = Math.max(1, (int) Math.ceil(height * scale));
            out.add(new Level(scale, border, w + 2 * border, h + 2 * border));
        }
        return out;
    }

    /** The level's pixels as one P-Net input: the frame shrunk as OpenCV's INTER_AREA does, framed in black. */
    static NetInput input(WorkFrame frame, Level level) {
        int w = level.width() - 2 * level.border();
        int h = level.height() - 2 * level.border();
        byte[] small = AreaResize.resize(frame.pixels(), frame.image.cols(), frame.image.rows(), w, h);
        byte[] framed = new byte[3 * level.width() * level.height()];
        int row = 3 * level.width();
        for (int y = 0; y < h; y++) {
            System.arraycopy(small, 3 * w * y, framed, (level.border() + y) * row + 3 * level.border(), 3 * w);
        }
        float[] data = new float[framed.length];
        PixelPacking.pack(framed, level.width(), level.height(), frame.channels, data, 0);
        return new NetInput(data, 1, level.width(), level.height());
    }
}
