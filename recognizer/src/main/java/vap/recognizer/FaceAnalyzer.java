package vap.recognizer;

import org.bytedeco.opencv.opencv_core.Mat;
import vap.models.InferenceDevice;
import vap.recognizer.age.AgeEstimator;
import vap.recognizer.age.SsrNetGraph;
import vap.recognizer.embed.EmbedConfig;
import vap.recognizer.embed.FaceEmbedder;
import vap.recognizer.embed.FaceEmbeddingNet;
import vap.recognizer.watchlist.Candidate;
import vap.recognizer.watchlist.Watchlist;

import java.util.ArrayList;
import java.util.List;

/**
 * What the recognizer does to faces: embed the aligned crops, estimate ages from the age crops, look the
 * embeddings up in the watchlist, all batched. Used by the service and by the analyze command alike.
 */
public final class FaceAnalyzer implements AutoCloseable {
    /** One face: its unit embedding, SSR-Net age, and watchlist candidates (best first). */
    public record FaceAnalysis(float[] embedding, float age, List<Candidate> candidates) {
        public boolean matched() {
            return !candidates.isEmpty() && candidates.get(0).passes();
        }
    }

    private final FaceEmbedder embedder;
    private final AgeEstimator ages;

    public FaceAnalyzer(String device, int modelBatch) {
        this(device, modelBatch, EmbedConfig.defaults());
    }

    /** {@code embed}: how faces are embedded ({@code recognizer.embed.*}), the same for gallery and probes. */
    public FaceAnalyzer(String device, int modelBatch, EmbedConfig embed) {
        InferenceDevice.checkCpuIsa();
        var d = InferenceDevice.parse(device);
        this.embedder = embed.embedder(new FaceEmbeddingNet(d), modelBatch);
        this.ages = new AgeEstimator(new SsrNetGraph(d), modelBatch);
    }

    public FaceEmbedder embedder() {
        return embedder;
    }

    public AgeEstimator ages() {
        return ages;
    }

    /** {@code alignedCrops.get(i)} and {@code ageCrops.get(i)} are the same face. */
    public List<FaceAnalysis> analyze(List<Mat> alignedCrops, List<Mat> ageCrops, Watchlist watchlist) {
        if (alignedCrops.size() != ageCrops.size()) {
            throw new IllegalArgumentException(alignedCrops.size() + " aligned crops but " + ageCrops.size() + " age crops");
        }
        List<float[]> embeddings = embedder.embed(alignedCrops);
        List<Float> estimated = ages.estimate(ageCrops);
        List<List<Candidate>> candidates = watchlist.search(embeddings);
        List<FaceAnalysis> out = new ArrayList<>(embeddings.size());
        for (int i = 0; i < embeddings.size(); i++) {
            out.add(new FaceAnalysis(embeddings.get(i), estimated.get(i), candidates.get(i)));
        }
        return out;
    }

    @Override
    public void close() {
        try {
            embedder.close();
        } finally {
            ages.close();
        }
    }
}
