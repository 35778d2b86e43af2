package vap.photos.evaldetect;

import org.bytedeco.opencv.opencv_core.Mat;

import java.util.List;

/**
 * One image of a detection set and every face in it. {@code exhaustive} says every face is labelled, so a
 * detection matching none is false; a folder labelled "one face per image" (LFW) is not exhaustive and counts only
 * images without any face.
 */
record LabelledImage(String set, String name, Mat image, List<TruthFace> faces, boolean exhaustive)
        implements AutoCloseable {

    @Override
    public void close() {
        image.close();
    }
}
