package vap.ingest.decode;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * How much of a camera's picture changed since its previous published frame: the picture is shrunk to a
 * {@value #WIDTH} x {@value #HEIGHT} grey thumbnail (area averaging, so sensor noise of a pixel averages out
 * over its cell of about 10 x 10 pixels), and the measure is the share of cells whose grey level moved by more
 * than {@code cellThreshold}. A moving person changes a block of cells by tens of levels; noise and
 * compression flicker move a cell's average by one or two. Costs one shrink of the BGR picture the JPEG
 * encoder made anyway. Not thread-safe: one per camera thread.
 */
public final class MotionMeter implements AutoCloseable {
    public static final int WIDTH = 64;
    public static final int HEIGHT = 48;
    /** What the first picture of a connection measures: everything is new. */
    public static final float UNKNOWN_PAST = 1.0f;

    private final int cellThreshold;
    private final Mat grey = new Mat();
    private final Mat thumbnail = new Mat(HEIGHT, WIDTH, CV_8UC1);
    private byte[] previous;
    private byte[] current = new byte[WIDTH * HEIGHT];

    /** @param cellThreshold grey levels (1..255) a cell's average must move by to count as changed */
    public MotionMeter(int cellThreshold) {
        if (cellThreshold < 1 || cellThreshold > 255) {
            throw new IllegalArgumentException("motion cell threshold must be 1..255 grey levels, got " + cellThreshold);
        }
        this.cellThreshold = cellThreshold;
    }

    /** The share (0..1) of cells that changed since the previous picture measured; {@link #UNKNOWN_PAST} for the first. */
    public float measure(Mat bgr) {
        cvtColor(bgr, grey, COLOR_BGR2GRAY);
        resize(grey, thumbnail, new Size(WIDTH, HEIGHT), 0, 0, INTER_AREA);
        thumbnail.data().get(current);
        float share = previous == null ? UNKNOWN_PAST : changedShare(previous, current, cellThreshold);
        byte[] swap = previous == null ? new byte[current.length] : previous;
        previous = current;
        current = swap;
        return share;
    }

    /** Forgets the previous picture (a new connection, a rewound file): the next one measures as all new. */
    public void reset() {
        previous = null;
    }

    /** The share of positions where two grey thumbnails differ by more than {@code threshold} levels. */
    static float changedShare(byte[] before, byte[] after, int threshold) {
        int changed = 0;
        for (int i = 0; i < after.length; i++) {
            if (Math.abs((before[i] & 0xff) - (after[i] & 0xff)) > threshold) {
                changed++;
            }
        }
        return (float) changed / after.length;
    }

    @Override
    public void close() {
        grey.close();
        thumbnail.close();
    }
}
