package vap.detector.mtcnn;

import vap.core.config.Settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the MTCNN cascade runs. The defaults are those of the MTCNN paper and the reference implementation
 * (face-api.js), except the channel order: the networks get RGB, which they were trained on (detector/README.md).
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
 * @param largeFaces     also run P-Net on a few tiny levels of the image with a black border around it, so a
 *                       face that fills the whole image (an enrolment photo, a face crop) is found
 *                       ({@link LargeFaceLevels}); costs well under 1% of a frame
 * @param rotations      in-plane angles in degrees the R-Net/O-Net stages also try on P-Net's candidates (0 is the
 *                       upright pass and must be listed), e.g. {@code [0, -30, 30]} finds heads rolled up to about
 *                       45 degrees ({@link RotatedPasses}); each extra angle adds one R-Net pass over the candidates
 * @param rotationMinFaceSize smallest face P-Net looks for on the turned images (the costly part of a rotated
 *                       pass; below it only P-Net's upright candidates are tried turned); 0 = no P-Net on them
 * @param channels       the colour order the networks are fed: RGB, which they were trained on (the default), or
 *                       BGR, which face-api.js feeds and MtcnnConformanceTest uses to compare with its outputs
 */
public record MtcnnConfig(int minFaceSize, double scaleFactor, float pnetThreshold, float rnetThreshold,
                          float onetThreshold, String device, int maxImageSide, int maxCropBatch,
                          int maxPyramidBatchPixels, boolean largeFaces, List<Double> rotations,
                          int rotationMinFaceSize, ChannelOrder channels) {

    public static final int DEFAULT_MIN_FACE_SIZE = 20;
    public static final double DEFAULT_SCALE_FACTOR = 0.709;
    /*
     * The paper's R-/O-Net thresholds, back since the networks get RGB (detector/README.md, "Choosing the
     * thresholds"); P-Net 0.7 rather than the paper's 0.6 finds the same labelled faces with a fifth fewer R-Net
     * crops (0.8 loses faces).
     */
    public static final float DEFAULT_PNET_THRESHOLD = 0.7f;
    public static final float DEFAULT_RNET_THRESHOLD = 0.7f;
    public static final float DEFAULT_ONET_THRESHOLD = 0.7f;
    public static final int DEFAULT_MAX_IMAGE_SIDE = 1920;
    public static final int DEFAULT_MAX_CROP_BATCH = 256;
    /**
     * Stack only small pyramid levels: measured on CPU, eight 192 x 144 levels in one P-Net pass took 3.8x as
     * long as eight passes of one (the activations leave the cache), while levels under ~2,000 pixels gain 2-4x.
     */
    public static final int DEFAULT_MAX_PYRAMID_BATCH_PIXELS = 16_384;
    public static final boolean DEFAULT_LARGE_FACES = true;
    /**
     * Upright only by default: the rotated passes cost 3-5x the CPU at 640x480 and added a false detection on
     * sample4 at 800 px (detector/README.md); {@link #ROLLED_FACES} is the setting for photos.
     */
    public static final List<Double> DEFAULT_ROTATIONS = List.of(0.0);
    /** The rotations that find heads rolled up to about 45 degrees (sample4's four faces). */
    public static final List<Double> ROLLED_FACES = List.of(0.0, -30.0, 30.0);
    public static final int DEFAULT_ROTATION_MIN_FACE_SIZE = 40;
    /** The order the networks were trained on (detector/README.md, "The networks want RGB"). */
    public static final ChannelOrder DEFAULT_CHANNELS = ChannelOrder.RGB;
    /** Beyond this roll a face is better found by rotating the photo; the rotated canvas also grows quickly. */
    public static final double MAX_ROTATION = 90;

    /** The configuration before large faces and rotations existed (the reference cascade, upright only, RGB). */
    public MtcnnConfig(int minFaceSize, double scaleFactor, float pnetThreshold, float rnetThreshold,
                       float onetThreshold, String device, int maxImageSide, int maxCropBatch,
                       int maxPyramidBatchPixels) {
        this(minFaceSize, scaleFactor, pnetThreshold, rnetThreshold, onetThreshold, device, maxImageSide,
                maxCropBatch, maxPyramidBatchPixels, false, List.of(0.0), 0);
    }

    /** The configuration before the channel order was a setting: RGB, the order the networks were trained on. */
    public MtcnnConfig(int minFaceSize, double scaleFactor, float pnetThreshold, float rnetThreshold,
                       float onetThreshold, String device, int maxImageSide, int maxCropBatch,
                       int maxPyramidBatchPixels, boolean largeFaces, List<Double> rotations,
                       int rotationMinFaceSize) {
        this(minFaceSize, scaleFactor, pnetThreshold, rnetThreshold, onetThreshold, device, maxImageSide,
                maxCropBatch, maxPyramidBatchPixels, largeFaces, rotations, rotationMinFaceSize,
                DEFAULT_CHANNELS);
    }

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
        rotations = rotations == null ? List.of(0.0) : List.copyOf(rotations);
        if (!rotations.contains(0.0)) {
            throw new IllegalArgumentException("rotations must include 0 (the upright pass), got " + rotations);
        }
        for (double a : rotations) {
            if (!(Math.abs(a) <= MAX_ROTATION)) {
                throw new IllegalArgumentException("rotations must lie within +-" + MAX_ROTATION + " degrees, got " + a);
            }
        }
        if (rotationMinFaceSize < 0) {
            throw new IllegalArgumentException("rotationMinFaceSize must be 0 (no P-Net on turned images) or positive, got "
                    + rotationMinFaceSize);
        }
        if (rotations.stream().distinct().count() != rotations.size()) {
            throw new IllegalArgumentException("rotations lists an angle twice: " + rotations);
        }
        if (channels == null) {
            throw new IllegalArgumentException("channels must be RGB or BGR, got null");
        }
    }

    /** The {@code detector.*} keys about detection (README "Configuration"); bad values throw with the key. */
    public static MtcnnConfig from(Settings s) {
        return new MtcnnConfig(
                s.integer("detector.min.face.size", DEFAULT_MIN_FACE_SIZE),
                s.number("detector.scale.factor", DEFAULT_SCALE_FACTOR),
                (float) s.number("detector.threshold.pnet", DEFAULT_PNET_THRESHOLD),
                (float) s.number("detector.threshold.rnet", DEFAULT_RNET_THRESHOLD),
                (float) s.number("detector.threshold.onet", DEFAULT_ONET_THRESHOLD),
                s.string("detector.device", "cpu"),
                s.integer("detector.max.image.side", DEFAULT_MAX_IMAGE_SIDE),
                s.integer("detector.crop.batch", DEFAULT_MAX_CROP_BATCH),
                s.integer("detector.pyramid.batch.pixels", DEFAULT_MAX_PYRAMID_BATCH_PIXELS),
                s.bool("detector.large.faces", DEFAULT_LARGE_FACES),
                parseRotations(s.string("detector.rotations", join(DEFAULT_ROTATIONS))),
                s.integer("detector.rotation.min.face.size", DEFAULT_ROTATION_MIN_FACE_SIZE),
                ChannelOrder.parse(s.string("detector.channels",
                        DEFAULT_CHANNELS.name().toLowerCase(Locale.ROOT))));
    }

    /** "0,-30,30" as angles; throws naming the key if a part is not a number. */
    static List<Double> parseRotations(String text) {
        List<Double> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                out.add(Double.parseDouble(part.strip()) + 0.0); // + 0.0 turns -0 into 0
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("detector.rotations: '" + part.strip()
                        + "' is not an angle in degrees (expected e.g. 0,-30,30)");
            }
        }
        return out;
    }

    private static String join(List<Double> angles) {
        return String.join(",", angles.stream().map(a -> a == Math.rint(a) ? String.valueOf(a.intValue())
                : a.toString()).toList());
    }

    /** The angles other than 0, in the order given. */
    public List<Double> extraRotations() {
        return rotations.stream().filter(a -> a != 0.0).toList();
    }

    public static MtcnnConfig defaults() {
        return new MtcnnConfig(DEFAULT_MIN_FACE_SIZE, DEFAULT_SCALE_FACTOR, DEFAULT_PNET_THRESHOLD,
                DEFAULT_RNET_THRESHOLD, DEFAULT_ONET_THRESHOLD, "cpu", DEFAULT_MAX_IMAGE_SIDE,
                DEFAULT_MAX_CROP_BATCH, DEFAULT_MAX_PYRAMID_BATCH_PIXELS, DEFAULT_LARGE_FACES, DEFAULT_ROTATIONS,
                DEFAULT_ROTATION_MIN_FACE_SIZE, DEFAULT_CHANNELS);
    }

    public MtcnnConfig withMinFaceSize(int value) {
        return new MtcnnConfig(value, scaleFactor, pnetThreshold, rnetThreshold, onetThreshold, device,
                maxImageSide, maxCropBatch, maxPyramidBatchPixels, largeFaces, rotations, rotationMinFaceSize,
                channels);
    }

    public MtcnnConfig withScaleFactor(double value) {
        return new MtcnnConfig(minFaceSize, value, pnetThreshold, rnetThreshold, onetThreshold, device,
                maxImageSide, maxCropBatch, maxPyramidBatchPixels, largeFaces, rotations, rotationMinFaceSize,
                channels);
    }

    public MtcnnConfig withThresholds(float pnet, float rnet, float onet) {
        return new MtcnnConfig(minFaceSize, scaleFactor, pnet, rnet, onet, device, maxImageSide, maxCropBatch,
                maxPyramidBatchPixels, largeFaces, rotations, rotationMinFaceSize, channels);
    }

    public MtcnnConfig withDevice(String value) {
        return new MtcnnConfig(minFaceSize, scaleFactor, pnetThreshold, rnetThreshold, onetThreshold, value,
                maxImageSide, maxCropBatch, maxPyramidBatchPixels, largeFaces, rotations, rotationMinFaceSize,
                channels);
    }

    public MtcnnConfig withMaxImageSide(int value) {
        return new MtcnnConfig(minFaceSize, scaleFactor, pnetThreshold, rnetThreshold, onetThreshold, device,
                value, maxCropBatch, maxPyramidBatchPixels, largeFaces, rotations, rotationMinFaceSize,
                channels);
    }

    public MtcnnConfig withMaxCropBatch(int value) {
        return new MtcnnConfig(minFaceSize, scaleFactor, pnetThreshold, rnetThreshold, onetThreshold, device,
                maxImageSide, value, maxPyramidBatchPixels, largeFaces, rotations, rotationMinFaceSize,
                channels);
    }

    public MtcnnConfig withMaxPyramidBatchPixels(int value) {
        return new MtcnnConfig(minFaceSize, scaleFactor, pnetThreshold, rnetThreshold, onetThreshold, device,
                maxImageSide, maxCropBatch, value, largeFaces, rotations, rotationMinFaceSize,
                channels);
    }

    public MtcnnConfig withLargeFaces(boolean value) {
        return new MtcnnConfig(minFaceSize, scaleFactor, pnetThreshold, rnetThreshold, onetThreshold, device,
                maxImageSide, maxCropBatch, maxPyramidBatchPixels, value, rotations, rotationMinFaceSize,
                channels);
    }

    public MtcnnConfig withRotations(List<Double> value) {
        return new MtcnnConfig(minFaceSize, scaleFactor, pnetThreshold, rnetThreshold, onetThreshold, device,
                maxImageSide, maxCropBatch, maxPyramidBatchPixels, largeFaces, value, rotationMinFaceSize,
                channels);
    }

    public MtcnnConfig withChannels(ChannelOrder value) {
        return new MtcnnConfig(minFaceSize, scaleFactor, pnetThreshold, rnetThreshold, onetThreshold, device,
                maxImageSide, maxCropBatch, maxPyramidBatchPixels, largeFaces, rotations, rotationMinFaceSize, value);
    }

    public MtcnnConfig withRotationMinFaceSize(int value) {
        return new MtcnnConfig(minFaceSize, scaleFactor, pnetThreshold, rnetThreshold, onetThreshold, device,
                maxImageSide, maxCropBatch, maxPyramidBatchPixels, largeFaces, rotations, value, channels);
    }

    private static void checkProbability(String name, float value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must lie in [0, 1], got " + value);
        }
    }
}
