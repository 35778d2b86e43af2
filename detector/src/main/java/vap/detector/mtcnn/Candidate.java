package vap.detector.mtcnn;

/**
 * A face candidate moving through the cascade, in MTCNN's own convention: 1-based, inclusive pixel corners
 * (x1, y1)..(x2, y2), so the box is x2 - x1 + 1 pixels wide. {@link WorkingScale} converts to the public
 * 0-based convention only when it reports a face.
 */
final class Candidate {
    float x1;
    float y1;
    float x2;
    float y2;
    float score;
    /** Box regression of the stage that scored this candidate: dx1, dy1, dx2, dy2. */
    final float[] regression = new float[4];
    /** O-Net landmarks: five x then five y, fractions of the crop until placed in image coordinates (0-based). */
    float[] landmarks;

    Candidate(float x1, float y1, float x2, float y2, float score) {
        this.x1 = x1;
        this.y1 = y1;
        this.x2 = x2;
        this.y2 = y2;
        this.score = score;
    }

    float width() {
        return x2 - x1;
    }

    float height() {
        return y2 - y1;
    }

    /** Grows the shorter side around the centre so the box is square (MTCNN's "rerec"). */
    void square() {
        float w = x2 - x1;
        float h = y2 - y1;
        float side = Math.max(w, h);
        x1 = x1 + w * 0.5f - side * 0.5f;
        y1 = y1 + h * 0.5f - side * 0.5f;
        x2 = x1 + side;
        y2 = y1 + side;
    }

    /** Truncates the corners towards zero, as the reference does between stages. */
    void truncate() {
        x1 = (int) x1;
        y1 = (int) y1;
        x2 = (int) x2;
        y2 = (int) y2;
    }

    /** Applies {@link #regression} with the box size measured inclusively (stages 2 and 3). */
    void regressInclusive() {
        float w = x2 - x1 + 1;
        float h = y2 - y1 + 1;
        x1 += regression[0] * w;
        y1 += regression[1] * h;
        x2 += regression[2] * w;
        y2 += regression[3] * h;
    }

    /** Applies {@link #regression} with the size of the P-Net cell box (stage 1 measures it exclusively). */
    void regressExclusive() {
        float w = x2 - x1;
        float h = y2 - y1;
        x1 += regression[0] * w;
        y1 += regression[1] * h;
        x2 += regression[2] * w;
        y2 += regression[3] * h;
    }
}
