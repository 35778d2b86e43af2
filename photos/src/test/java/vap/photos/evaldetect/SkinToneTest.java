package vap.photos.evaldetect;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;

import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The skin tone transform of {@code vap eval detect --tones} on a patch of known colour. */
class SkinToneTest {
    /** A face box with its landmarks, on a 100 x 100 image: the skin patch is between eyes and mouth. */
    private static final DetectedFace FACE = new DetectedFace(10, 10, 90, 90, 0.99f, List.of(
            new Landmark(30, 35), new Landmark(70, 35), new Landmark(50, 55), new Landmark(35, 75),
            new Landmark(65, 75)));
    /** "Eyes" at y 0 and "mouth" at y 15: the measured patch is rows 5-12, inside the grey band (rows 0-19). */
    private static final DetectedFace GREY_BAND = new DetectedFace(0, 0, 100, 20, 0.99f, List.of(
            new Landmark(0, 0), new Landmark(100, 0), new Landmark(50, 8), new Landmark(0, 15),
            new Landmark(100, 15)));

    @Test
    void skinReachesEveryTargetAngleAndOtherColoursMoveLess() {
        for (SkinTone tone : SkinTone.GROUPS) {
            // A medium skin colour (BGR) filling the image, with a grey band at the top (no chroma, like eye whites).
            try (Mat image = new Mat(100, 100, CV_8UC3, new Scalar(120, 150, 200, 0))) {
                double[] skin = SkinTone.skinOf(image, FACE);
                try (Mat band = image.rowRange(0, 20)) {
                    band.put(new Scalar(200, 200, 200, 0));
                }
                double greyBefore = SkinTone.skinOf(image, GREY_BAND)[0];
                tone.apply(image, skin);
                double[] after = SkinTone.skinOf(image, FACE);
                assertEquals(tone.ita(), SkinTone.itaOf(after), 2.5, tone + ": skin ITA after the transform");
                // b* stays, up to what sRGB clipping takes at the lightest tone (3.5 here).
                assertEquals(skin[2], after[2], 4, tone + ": b* stays");
                double greyChange = Math.abs(SkinTone.skinOf(image, GREY_BAND)[0] - greyBefore);
                double skinChange = Math.abs(after[0] - skin[0]);
                assertTrue(greyChange < 0.5 * skinChange + 1, tone + ": grey L* moved " + greyChange + ", skin "
                        + skinChange);
            }
        }
    }
}
