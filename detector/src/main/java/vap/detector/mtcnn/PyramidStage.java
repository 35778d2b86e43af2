package vap.detector.mtcnn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Stage 1 of the cascade: P-Net over every level of each frame's image pyramid proposes candidate boxes. Frames
 * of equal size share P-Net passes per level, as many as fit {@link MtcnnConfig#maxPyramidBatchPixels()}.
 */
final class PyramidStage {
    private static final float NMS_PER_SCALE = 0.5f;
    /** P-Net looks at 12 x 12 windows with a stride of 2 (one pool layer). */
    private static final int CELL_SIZE = 12;
    private static final int CELL_STRIDE = 2;

    private final MtcnnConfig config;
    private final CascadeTimers timers;

    PyramidStage(MtcnnConfig config, CascadeTimers timers) {
        this.config = config;
        this.timers = timers;
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

    /** Sets every frame's candidates to P-Net's squared, regressed proposals (MTCNN's 1-based corners). */
    void propose(List<WorkFrame> frames, Function<NetInput, PNetTranslator.Maps> pnet) {
        Map<Long, List<WorkFrame>> bySize = new LinkedHashMap<>();
        for (WorkFrame f : frames) {
            bySize.computeIfAbsent(((long) f.image.cols() << 32) | f.image.rows(), k -> new ArrayList<>()).add(f);
        }
        for (List<WorkFrame> group : bySize.values()) {
            proposeSameSize(group, pnet);
        }
    }

    private void proposeSameSize(List<WorkFrame> group, Function<NetInput, PNetTranslator.Maps> pnet) {
        int width = group.get(0).image.cols();
        int height = group.get(0).image.rows();
        List<List<Candidate>> perFrame = new ArrayList<>();
        group.forEach(f -> perFrame.add(new ArrayList<>()));
        Pyramid pyramid = new Pyramid(group);
        for (double scale : pyramidScales(width, height, config.minFaceSize(), config.scaleFactor())) {
            scanLevel(pyramid, perFrame, scale, (int) Math.ceil(width * scale), (int) Math.ceil(height * scale), pnet);
        }
        if (config.largeFaces()) {
            for (int i = 0; i < group.size(); i++) {
                scanLargeFaceLevels(group.get(i), perFrame.get(i), pnet);
            }
        }
        timers.run(CascadeStage.PNET_DECODE, () -> {
            for (int i = 0; i < group.size(); i++) {
                group.get(i).candidates = Refinement.afterPNet(perFrame.get(i));
            }
        });
    }

    /** One pyramid level of every frame in the group, in passes of as many frames as the pixel budget allows. */
    private void scanLevel(Pyramid pyramid, List<List<Candidate>> perFrame, double scale, int ws, int hs,
                           Function<NetInput, PNetTranslator.Maps> pnet) {
        int perPass = config.maxPyramidBatchPixels() == 0 ? 1 : Math.max(1, config.maxPyramidBatchPixels() / (ws * hs));
        for (int from = 0; from < perFrame.size(); from += perPass) {
            int first = from;
            int n = Math.min(perPass, perFrame.size() - from);
            NetInput input = timers.time(CascadeStage.PYRAMID, () -> pyramid.nextLevel(first, n, ws, hs));
            PNetTranslator.Maps maps = timers.time(CascadeStage.PNET, () -> pnet.apply(input));
            timers.run(CascadeStage.PNET_DECODE, () -> {
                for (int i = 0; i < n; i++) {
                    perFrame.get(first + i).addAll(NonMaxSuppression.select(cellsAboveThreshold(maps, i, scale),
                            NMS_PER_SCALE, NonMaxSuppression.Overlap.UNION));
                }
            });
        }
    }

    /** The bordered levels of {@link LargeFaceLevels}, one frame at a time (they are a few hundred pixels). */
    private void scanLargeFaceLevels(WorkFrame frame, List<Candidate> found,
                                     Function<NetInput, PNetTranslator.Maps> pnet) {
        for (LargeFaceLevels.Level level : LargeFaceLevels.levels(frame.image.cols(), frame.image.rows(),
                config.minFaceSize(), config.scaleFactor())) {
            NetInput input = timers.time(CascadeStage.PYRAMID, () -> LargeFaceLevels.input(frame, level));
            PNetTranslator.Maps maps = timers.time(CascadeStage.PNET, () -> pnet.apply(input));
            timers.run(CascadeStage.PNET_DECODE, () -> found.addAll(NonMaxSuppression.select(
                    cellsAboveThreshold(maps, 0, level.scale(), (float) level.offset()), NMS_PER_SCALE,
                    NonMaxSuppression.Overlap.UNION)));
        }
    }

    private List<Candidate> cellsAboveThreshold(PNetTranslator.Maps maps, int frame, double scale) {
        return cellsAboveThreshold(maps, frame, scale, 0);
    }

    /**
     * Cells of one frame's P-Net maps that pass the threshold, as boxes in (1-based) image coordinates;
     * {@code offset} is where the image starts inside the level (in image pixels; the bordered large-face levels).
     */
    private List<Candidate> cellsAboveThreshold(PNetTranslator.Maps maps, int frame, double scale, float offset) {
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
                        (int) ((CELL_STRIDE * a + 1) / scale) - offset, (int) ((CELL_STRIDE * b + 1) / scale) - offset,
                        (int) ((CELL_STRIDE * a + CELL_SIZE) / scale) - offset,
                        (int) ((CELL_STRIDE * b + CELL_SIZE) / scale) - offset, p);
                int r = frame * 4 * cells + a * mh + b;
                for (int j = 0; j < 4; j++) {
                    c.regression[j] = reg[r + j * cells];
                }
                out.add(c);
            }
        }
        return out;
    }
}
