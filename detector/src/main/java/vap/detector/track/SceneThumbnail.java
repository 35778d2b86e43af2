package vap.detector.track;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * A detected frame shrunk to a {@value #WIDTH} x {@value #HEIGHT} grey thumbnail (the grid of ingest's MotionMeter),
 * to tell a new scene from the old one moved. Ingest's motion counts the cells that changed in place, so a camera
 * pan of a few percent of the frame per sampled frame measures like a hard cut (0.65 to 0.87 for the sample photos
 * panned by 100 px of 960, against 0.85 to 0.87 at the sample video's cuts). Here the previous thumbnail is slid
 * over this one (up to a quarter of the frame each way) and the best correlation of the overlap taken: 0.97 to 1
 * for those pans (even at 240 px), 0.57 to 0.77 for a 10% zoom, 0.17 to 0.36 between two different sample photos.
 * Correlation, not a count of changed cells: a slide by a fraction of a cell blends neighbouring cells, which a
 * textured scene would count as change, and a global change of brightness leaves it unmoved.
 * Costs one shrink per detected frame; the slide search runs only for frames whose motion says "all changed".
 */
public final class SceneThumbnail {
    public static final int WIDTH = 64;
    public static final int HEIGHT = 48;
    /** Below this best correlation the picture is another scene (between the zoom's 0.57 and the cuts' 0.36). */
    public static final double SAME_SCENE_CORRELATION = 0.5;
    private static final int MAX_SHIFT_X = WIDTH / 4;
    private static final int MAX_SHIFT_Y = HEIGHT / 4;
    /** A thumbnail flatter than this (grey levels squared per cell) has no structure to correlate. */
    private static final double MIN_VARIANCE = 1.0;

    private final int[] grey;

    private SceneThumbnail(int[] grey) {
        this.grey = grey;
    }

    /** The thumbnail of a BGR picture. */
    public static SceneThumbnail of(Mat bgr) {
        byte[] cells = new byte[WIDTH * HEIGHT];
        try (Mat small = new Mat(); Mat grey = new Mat(); Size size = new Size(WIDTH, HEIGHT)) {
            resize(bgr, small, size, 0, 0, INTER_AREA); // shrink first: the grey conversion then costs nothing
            cvtColor(small, grey, COLOR_BGR2GRAY);
            grey.data().get(cells);
        }
        int[] levels = new int[cells.length];
        for (int i = 0; i < cells.length; i++) {
            levels[i] = cells[i] & 0xff;
        }
        return new SceneThumbnail(levels);
    }

    /** Whether this picture is {@code before} moved (panned, tilted, zoomed a little, lit differently). */
    public boolean sameSceneAs(SceneThumbnail before) {
        return bestCorrelation(before) >= SAME_SCENE_CORRELATION;
    }

    /**
     * The highest correlation (-1..1) between this picture and {@code before} slid by up to a quarter of the frame
     * each way, over the cells where they overlap; -1 when no overlap has structure to compare (a flat picture).
     */
    public double bestCorrelation(SceneThumbnail before) {
        double best = -1;
        for (int dy = -MAX_SHIFT_Y; dy <= MAX_SHIFT_Y; dy++) {
            for (int dx = -MAX_SHIFT_X; dx <= MAX_SHIFT_X; dx++) {
                best = Math.max(best, correlationAt(before, dx, dy));
            }
        }
        return best;
    }

    /** Pearson correlation of the overlap when {@code before}'s cell (x, y) lies at (x + dx, y + dy) here. */
    private double correlationAt(SceneThumbnail before, int dx, int dy) {
        long sa = 0;
        long sb = 0;
        long saa = 0;
        long sbb = 0;
        long sab = 0;
        int n = 0;
        for (int y = Math.max(0, -dy); y < Math.min(HEIGHT, HEIGHT - dy); y++) {
            int row = y * WIDTH;
            int shiftedRow = (y + dy) * WIDTH + dx;
            for (int x = Math.max(0, -dx); x < Math.min(WIDTH, WIDTH - dx); x++) {
                int a = before.grey[row + x];
                int b = grey[shiftedRow + x];
                sa += a;
                sb += b;
                saa += a * a;
                sbb += b * b;
                sab += a * b;
                n++;
            }
        }
        double va = saa - (double) sa * sa / n;
        double vb = sbb - (double) sb * sb / n;
        if (va < MIN_VARIANCE * n || vb < MIN_VARIANCE * n) {
            return -1;
        }
        return (sab - (double) sa * sb / n) / Math.sqrt(va * vb);
    }
}
