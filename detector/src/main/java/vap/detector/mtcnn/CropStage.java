package vap.detector.mtcnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Stages 2 and 3 of the cascade, one instance per network: cut every candidate of every frame out of its image
 * (zero padding outside, bilinear), score the crops in passes of at most {@link MtcnnConfig#maxCropBatch()} and
 * at most the network's {@code cachedPass}, then keep each frame's survivors ({@link Refinement}).
 *
 * @param <S> the network's output for one pass
 */
final class CropStage<S> {
    /**
     * Larger passes cost more per crop once the feature maps outgrow the caches (one thread, AVX-512, microseconds
     * of CPU per crop): R-Net 80 at 64-95 crops, 96 at 256, 135 at 760; O-Net 470 at 32-64, 752 at 144. Batched
     * frames (8 frames at min face 40: 144 O-Net crops) therefore ran slower than frame by frame.
     */
    static final int RNET_PASS = 96;
    static final int ONET_PASS = 48;

    private final int cropSize;
    private final CascadeStage cropTimer;
    private final CascadeStage netTimer;
    private final ScoreReader<S> reader;
    private final UnaryOperator<List<Candidate>> refinement;
    private final int maxCropBatch;
    private final CascadeTimers timers;

    /** Copies one network output row into a candidate. */
    @FunctionalInterface
    interface ScoreReader<S> {
        void read(S scores, int row, Candidate candidate);
    }

    private CropStage(MtcnnNetwork.Stage network, CascadeStage cropTimer, CascadeStage netTimer,
                      ScoreReader<S> reader, UnaryOperator<List<Candidate>> refinement, int maxCropBatch,
                      CascadeTimers timers) {
        this.cropSize = network.inputSize;
        this.cropTimer = cropTimer;
        this.netTimer = netTimer;
        this.reader = reader;
        this.refinement = refinement;
        this.maxCropBatch = maxCropBatch;
        this.timers = timers;
    }

    /** R-Net on 24 x 24 crops: a new score and box regression per candidate. */
    static CropStage<RNetTranslator.Scores> rnet(MtcnnConfig config, CascadeTimers timers) {
        return new CropStage<>(MtcnnNetwork.Stage.RNET, CascadeStage.RNET_CROPS, CascadeStage.RNET,
                (scores, i, c) -> {
                    c.score = scores.faceProbability()[i];
                    System.arraycopy(scores.regression(), 4 * i, c.regression, 0, 4);
                }, scored -> Refinement.afterRNet(scored, config.rnetThreshold()),
                Math.min(config.maxCropBatch(), RNET_PASS), timers);
    }

    /** O-Net on 48 x 48 crops: score, box regression and the five landmarks. */
    static CropStage<ONetTranslator.Scores> onet(MtcnnConfig config, CascadeTimers timers) {
        return new CropStage<>(MtcnnNetwork.Stage.ONET, CascadeStage.ONET_CROPS, CascadeStage.ONET,
                (scores, i, c) -> {
                    c.score = scores.faceProbability()[i];
                    System.arraycopy(scores.regression(), 4 * i, c.regression, 0, 4);
                    c.landmarks = Arrays.copyOfRange(scores.landmarks(), 10 * i, 10 * i + 10);
                }, scored -> Refinement.afterONet(scored, config.onetThreshold()),
                Math.min(config.maxCropBatch(), ONET_PASS), timers);
    }

    /** Scores and filters every frame's candidates in place; returns how many crops the network saw. */
    int refine(List<WorkFrame> frames, Function<NetInput, S> network) {
        List<Crop> crops = new ArrayList<>();
        for (WorkFrame f : frames) {
            for (Candidate c : f.candidates) {
                crops.add(new Crop(f, c));
            }
        }
        // Passes of equal size (96 + 4 crops would be 50 + 50): the same cost per crop in each.
        int passes = (crops.size() + maxCropBatch - 1) / maxCropBatch;
        for (int p = 0, from = 0; p < passes; p++) {
            int first = from;
            int n = (crops.size() - from) / (passes - p);
            from += n;
            NetInput input = timers.time(cropTimer, () -> pack(crops, first, n));
            S scores = timers.time(netTimer, () -> network.apply(input));
            for (int i = 0; i < n; i++) {
                reader.read(scores, i, crops.get(first + i).candidate);
            }
        }
        timers.run(CascadeStage.REFINE, () -> {
            for (WorkFrame f : frames) {
                f.candidates = refinement.apply(f.candidates);
            }
        });
        return crops.size();
    }

    private NetInput pack(List<Crop> crops, int from, int n) {
        float[] data = new float[n * 3 * cropSize * cropSize];
        try (CropSampler sampler = new CropSampler(cropSize)) {
            for (int i = 0; i < n; i++) {
                Crop crop = crops.get(from + i);
                Candidate c = crop.candidate;
                sampler.sample(crop.frame.image, crop.frame.channels, (int) c.x1, (int) c.y1, (int) c.x2, (int) c.y2,
                        data, i * 3 * cropSize * cropSize);
            }
        }
        return new NetInput(data, n, cropSize, cropSize);
    }

    private record Crop(WorkFrame frame, Candidate candidate) {
    }
}
