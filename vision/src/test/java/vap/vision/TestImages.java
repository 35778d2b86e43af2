package vap.vision;

import org.bytedeco.opencv.opencv_core.Mat;
import vap.testsupport.SamplePhotos;

/** This module's tests' images: test-support's {@link SamplePhotos} under the names they use. */
public final class TestImages {
    private TestImages() {
    }

    public static byte[] sampleBytes(int n) {
        return SamplePhotos.bytes(n);
    }

    /** Sample photo {@code n} (1..6), decoded and scaled to {@code width} pixels wide. */
    public static Mat sample(int n, int width) {
        return SamplePhotos.scaled(n, width);
    }

    /** A diagonal colour gradient. */
    public static Mat gradient(int width, int height) {
        return SamplePhotos.gradient(width, height);
    }
}
