package vap.photos.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vap.core.cli.ServiceOptions;
import vap.core.cli.VapCommand;
import vap.core.config.Settings;
import vap.models.InferenceDevice;
import vap.photos.PhotoFaces;
import vap.recognizer.RecognizerConfig;
import vap.recognizer.embed.Embeddings;
import vap.recognizer.embed.EmbedConfig;
import vap.recognizer.embed.FaceEmbedder;
import vap.recognizer.embed.FaceEmbeddingNet;
import vap.recognizer.index.Metric;
import vap.recognizer.watchlist.MatchThreshold;
import vap.recognizer.watchlist.WatchlistConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** {@code vap verify A.jpg B.jpg}: same person or not, with the score and the threshold it was held to. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Are the faces of two photos the same person? Prints the similarity (IP of unit embeddings), the "
                + "threshold (calibrated: a stranger passes it with probability watchlist.target-fpir; or the fixed "
                + "watchlist.threshold) and the verdict. Exit code 0: same, 1: different, 2: no face / error.",
                "  vap verify alice1.jpg alice2.jpg", "  vap verify a.jpg b.jpg -D watchlist.target-fpir=0.001"})
public final class VerifyCommand implements VapCommand {
    @Mixin
    ServiceOptions options;

    @Parameters(index = "0", paramLabel = "A", description = "First photo (its largest face).")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "Second photo (its largest face).")
    Path b;

    @Option(names = "--crop", defaultValue = "ALIGNED", description = "Embedding crop: ALIGNED (landmarks) or BOX (padded box).")
    PhotoFaces.CropMode crop;

    /** What was found and decided; the command prints it. */
    public record Verdict(int facesA, int facesB, float score, float threshold, boolean same) {
        String line(Path a, Path b) {
            return String.format(Locale.ROOT, "%s (%d face(s)) vs %s (%d face(s)): score %.4f, threshold %.4f: %s",
                    a, facesA, b, facesB, score, threshold, same ? "SAME person" : "different people");
        }
    }

    @Override
    public Integer call() {
        Settings s = options.settings();
        WatchlistConfig wc = WatchlistConfig.from(s);
        RecognizerConfig rc = RecognizerConfig.from(s);
        InferenceDevice.checkCpuIsa();
        try (PhotoFaces photos = PhotoFaces.configured(s, crop);
             FaceEmbedder embedder = EmbedConfig.from(s).embedder(new FaceEmbeddingNet(InferenceDevice.parse(rc.device())), rc.modelBatch())) {
            Verdict v = verify(photos, embedder, wc.metric(), MatchThreshold.of(wc), a, b);
            if (v == null) {
                return 2;
            }
            System.out.println(v.line(a, b));
            return v.same() ? 0 : 1;
        }
    }

    /** The verdict on the largest faces of two photos; null (with a message) when either has none. */
    public static Verdict verify(PhotoFaces photos, FaceEmbedder embedder, Metric metric, MatchThreshold threshold, Path a, Path b) {
        List<PhotoFaces.Face> fa = photos.faces(a);
        List<PhotoFaces.Face> fb = photos.faces(b);
        try {
            if (fa.isEmpty() || fb.isEmpty()) {
                System.err.println("verify: no face found in " + (fa.isEmpty() ? a : b));
                return null;
            }
            List<float[]> e = embedder.embed(new ArrayList<>(List.of(largest(fa).aligned(), largest(fb).aligned())));
            float score = metric == Metric.IP ? (float) Embeddings.dot(e.get(0), e.get(1))
                    : (float) Embeddings.euclidean(e.get(0), e.get(1));
            // One comparison: a watchlist of one identity, so the threshold's FPIR is this pair's false match rate.
            float t = threshold.at(1, 1);
            return new Verdict(fa.size(), fb.size(), score, t, metric.passes(score, t));
        } finally {
            fa.forEach(PhotoFaces.Face::close);
            fb.forEach(PhotoFaces.Face::close);
        }
    }

    private static PhotoFaces.Face largest(List<PhotoFaces.Face> faces) {
        return faces.stream().max(Comparator.comparingDouble(f -> f.detection().width() * f.detection().height())).orElseThrow();
    }
}
