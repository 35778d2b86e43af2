package vap.detector.mtcnn;

/**
 * How the MTCNN cascade runs. The defaults are those of the MTCNN paper and the reference implementation
 * (face-api.js), which the conformance tests check against.
 *
 * @param minFaceSize    smallest face side, in pixels of the (possibly downscaled) image, the pyramid looks for;
 *                       larger values skip the biggest pyramid levels and are much faster
 * @param scaleFactor    ratio between successive pyramid levels (0 < f < 1)
 * @param pnetThreshold  P-Net face probability a cell needs to become a candidate
 * @param rnetThreshold  R-Net probability a candidate needs to reach O-Net
 * @param onetThreshold  O-Net probability a candidate needs to be reported
 * @param device         "cpu", "gpu" or "gpu:N" (see {@link vap.models.InferenceDevice})
 * @param maxImageSide   an image whose longer side exceeds this is downscaled to it before detection; faces are
 *                       still reported in the original image's coordinates. 0 disables the limit.
 * @param maxCropBatch   most R-Net / O-Net crops in one forward pass (bounds memory; 1 runs them one by one)
 * @param maxPyramidBatchPixels most pixels in one P-Net forward pass when frames of the same size are stacked;
 *                       0 runs P-Net frame by frame
 */
public record MtcnnConfig(int minFaceSize, double scaleFactor, float pnetThreshold, float rnetThreshold,
                          float onetThreshold, String device, int maxImageSide, int maxCropBatch,
                          int maxPyramidBatchPixels) {

    public static final int DEFAULT_MIN_FACE_SIZE = 20;
    public static final double DEFAULT_SCALE_FACTOR = 0.709;
    public static final float DEFAULT_PNET_THRESHOLD = 0.6f;
    public static final float DEFAULT_RNET_THRESHOLD = 0.7f;
    public static final float DEFAULT_ONET_THRESHOLD = 0.7f;
    public static final int DEFAULT_MAX_IMAGE_SIDE = 1920;
    public static final int DEFAULT_MAX_CROP_BATCH = 256;
    /**
     * Stack only small pyramid levels: measured on CPU, eight 192 x 144 levels in one P-Net pass took 3.8x as
     * long as eight passes of one (the activations leave the cache), while levels under ~2,000 pixels gain 2-4x.
     */
    public static final int DEFAULT_MAX_PYRAMID_BATCH_PIXELS = 16_384;

    public MtcnnConfig {
        if (minFaceSize < 1) {
            throw new IllegalArgumentException("minFaceSize must be at least 1 pixel, got " + minFaceSize);
        }
        if (!(scaleFactor > 0 && scaleFactor < 1)) {
            throw new IllegalArgumentException("scaleFactor must lie strictly between 0 and 1, got " + scaleFactor);
        }
        checkProbability("pnetThreshold", pnetThreshold);
        checkProbability("rnetThreshold", rnetThreshold);
        checkProbability("onetThreshold", onetThreshold);
        if (device == null || device.isBlank()) {
            device = "cpu";
        }
        if (maxImageSide < 0) {
            throw new IllegalArgumentException("maxImageSide must be 0 (no limit) or positive, got " + maxImageSide);
        }
        if (maxImageSide > 0 && maxImageSide < 12) {
            throw new IllegalArgumentException("maxImageSide " + maxImageSide + " is below P-Net's 12-pixel window");
        }
        if (maxCropBatch < 1) {
            throw new IllegalArgumentException("maxCropBatch must be at least 1, got " + maxCropBatch);
        }
        if (maxPyramidBatchPixels < 0) {
            throw new IllegalArgumentException("maxPyramidBatchPixels must be 0 or positive, got "
                    + maxPyramidBatchPixels);
        }
    }

    public static MtcnnConfig defaults() {
        return new MtcnnConfig(DEFAULT_MIN_FACE_SIZE, DEFAULT_SCALE_FACTOR, DEFAULT_PNET_THRESHOLD,
                DEFAULT_RNET_THRESHOLD, DEFAULT_ONET_THRESHOLD, "cpu", DEFAULT_MAX_IMAGE_SIDE,
                DEFAULT_MAX_CROP_BATCH, DEFAULT_MAX_PYRAMID_BATCH_PIXELS);
    }

    public MtcnnConfig withMinFaceSize(int value) {
        return new MtcnnConfig(value, scaleFactor, pnetThreshold, rnetThreshold, onetThreshold, device,
                maxImageSide, maxCropBatch, maxPyramidBatchPixels);
    }

    public MtcnnConfig withThresholds(float pnet, float rnet, float onet) {
        return new MtcnnConfig(minFaceSize, scaleFactor, pnet, rnet, onet, device, maxImageSide, maxCropBatch,
                maxPyramidBatchPixels);
    }

    public MtcnnConfig withDevice(String value) {
        return new MtcnnConfig(minFaceSize, scaleFactor, pnetThreshold, rnetThreshold, onetThreshold, value,
                maxImageSide, maxCropBatch, maxPyramidBatchPixels);
    }

    public MtcnnConfig withMaxImageSide(int value) {
        return new MtcnnConfig(minFaceSize, scaleFactor, pnetThreshold, rnetThreshold, onetThreshold, device,
                value, maxCropBatch, maxPyramidBatchPixels);
    }

    public MtcnnConfig withMaxCropBatch(int value) {
        return new MtcnnConfig(minFaceSize, scaleFactor, pnetThreshold, rnetThreshold, onetThreshold, device,
                maxImageSide, value, maxPyramidBatchPixels);
    }

    public MtcnnConfig withMaxPyramidBatchPixels(int value) {
        return new MtcnnConfig(minFaceSize, scaleFactor, pnetThreshold, rnetThreshold, onetThreshold, device,
                maxImageSide, maxCropBatch, value);
    }

    private static void checkProbability(String name, float value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must lie in [0, 1], got " + value);
        }
    }
}
