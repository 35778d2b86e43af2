package vap.photos.evaldetect;

/** Intersection over union of two axis-aligned boxes in continuous coordinates. */
final class IoU {
    private IoU() {
    }

    static double of(double ax1, double ay1, double ax2, double ay2, double bx1, double by1, double bx2, double by2) {
        double iw = Math.min(ax2, bx2) - Math.max(ax1, bx1);
        double ih = Math.min(ay2, by2) - Math.max(ay1, by1);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double inter = iw * ih;
        return inter / ((ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter);
    }
}
