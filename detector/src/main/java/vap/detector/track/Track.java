package vap.detector.track;

import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;

import java.time.Instant;

/**
 * One open face track of a camera: where the face was last seen and a constant-velocity model of its box centre
 * and size, in frame pixels per second of capture time (frames are sampled and dropped, so time, not frame count).
 */
final class Track {
    /** Weight of the newest velocity measurement: smooths detector jitter, still follows a change of direction. */
    private static final double VELOCITY_GAIN = 0.5;
    /** A face's apparent size changes at most this much by prediction (a person walking towards the camera). */
    private static final double MAX_SCALE_CHANGE = 2.0;

    final String id;
    final Instant firstSeen;
    private int hits;
    private long lastSeenMillis;
    private double cx;
    private double cy;
    private double width;
    private double height;
    private double vx;
    private double vy;
    private double vw;
    private boolean velocityKnown;
    /** Landmarks relative to the box centre, in box widths: moved and scaled with the predicted box. */
    private final double[] shape = new double[2 * DetectedFace.LANDMARK_COUNT];

    Track(String id, DetectedFace face, Instant captured) {
        this.id = id;
        this.firstSeen = captured;
        this.hits = 1;
        this.lastSeenMillis = captured.toEpochMilli();
        observe(face);
    }

    int hits() {
        return hits;
    }

    long lastSeenMillis() {
        return lastSeenMillis;
    }

    /** The box and landmarks this track expects at capture time {@code atMillis}. */
    Prediction predict(long atMillis) {
        double dt = Math.max(0, atMillis - lastSeenMillis) / 1000.0;
        double w = width;
        double px = cx;
        double py = cy;
        if (velocityKnown) {
            px += vx * dt;
            py += vy * dt;
            w = Math.min(width * MAX_SCALE_CHANGE, Math.max(width / MAX_SCALE_CHANGE, width + vw * dt));
        }
        double h = height * w / width;
        double[] points = new double[shape.length];
        for (int i = 0; i < DetectedFace.LANDMARK_COUNT; i++) {
            points[2 * i] = px + shape[2 * i] * w;
            points[2 * i + 1] = py + shape[2 * i + 1] * w;
        }
        return new Prediction(px - w / 2, py - h / 2, px + w / 2, py + h / 2, points);
    }

    /** The face seen in a frame captured at {@code captured} continues this track. */
    void update(DetectedFace face, Instant captured) {
        long t = captured.toEpochMilli();
        double dt = (t - lastSeenMillis) / 1000.0;
        double ox = cx;
        double oy = cy;
        double ow = width;
        observe(face);
        if (dt > 0) {
            double mx = (cx - ox) / dt;
            double my = (cy - oy) / dt;
            double mw = (width - ow) / dt;
            if (velocityKnown) {
                vx += VELOCITY_GAIN * (mx - vx);
                vy += VELOCITY_GAIN * (my - vy);
                vw += VELOCITY_GAIN * (mw - vw);
            } else {
                vx = mx;
                vy = my;
                vw = mw;
                velocityKnown = true;
            }
        }
        lastSeenMillis = Math.max(lastSeenMillis, t);
        hits++;
    }

    private void observe(DetectedFace face) {
        cx = (face.x1() + face.x2()) / 2.0;
        cy = (face.y1() + face.y2()) / 2.0;
        width = Math.max(1, face.width());
        height = Math.max(1, face.height());
        for (int i = 0; i < DetectedFace.LANDMARK_COUNT; i++) {
            Landmark p = face.landmark(i);
            shape[2 * i] = (p.x() - cx) / width;
            shape[2 * i + 1] = (p.y() - cy) / width;
        }
    }

    /** A predicted box (x2, y2 exclusive, as DetectedFace) and its landmarks as x, y pairs. */
    record Prediction(double x1, double y1, double x2, double y2, double[] landmarks) {
        double width() {
            return x2 - x1;
        }

        double centreX() {
            return (x1 + x2) / 2;
        }

        double centreY() {
            return (y1 + y2) / 2;
        }
    }
}
