package vap.vision.align;

import org.bytedeco.opencv.opencv_core.Mat;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

/**
 * An 8-bit grey image as dlib's shape predictor reads it: row-major bytes; from a colour image each pixel is the
 * integer mean of its three channels, as dlib's {@code get_pixel_intensity} of an RGB pixel.
 */
public record GreyImage(byte[] pixels, int width, int height) {
    public GreyImage {
        if (width <= 0 || height <= 0 || pixels.length != width * height) {
            throw new IllegalArgumentException("need " + width + " x " + height + " pixels, got " + pixels.length);
        }
    }

    /** The grey image of an 8-bit 3-channel Mat (BGR or RGB: the mean does not care). */
    public static GreyImage of(Mat colour) {
        if (colour.type() != CV_8UC3) {
            throw new IllegalArgumentException("need an 8-bit 3-channel image, got type " + colour.type());
        }
        int w = colour.cols();
        int h = colour.rows();
        byte[] colours = new byte[3 * w * h];
        Mat packed = colour.isContinuous() ? colour : colour.clone();
        packed.data().get(colours);
        if (packed != colour) {
            packed.close();
        }
        byte[] grey = new byte[w * h];
        for (int i = 0; i < grey.length; i++) {
            int sum = (colours[3 * i] & 0xFF) + (colours[3 * i + 1] & 0xFF) + (colours[3 * i + 2] & 0xFF);
            grey[i] = (byte) (sum / 3);
        }
        return new GreyImage(grey, w, h);
    }

    /** The pixel at (x, y), or 0 outside the image (as dlib's predictor reads outside pixels). */
    int at(int x, int y) {
        return x >= 0 && y >= 0 && x < width && y < height ? pixels[y * width + x] & 0xFF : 0;
    }
}
