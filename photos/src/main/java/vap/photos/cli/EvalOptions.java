package vap.photos.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vap.core.cli.ProgressBar;
import vap.core.cli.ServiceOptions;
import vap.core.config.Settings;
import vap.detector.mtcnn.MtcnnConfig;
import vap.detector.service.DetectorConfig;
import vap.models.InferenceDevice;
import vap.photos.PhotoFaces;
import vap.photos.eval.EmbeddingCache;
import vap.photos.eval.PhotoEmbeddings;
import vap.recognizer.RecognizerConfig;
import vap.recognizer.embed.EmbedConfig;
import vap.recognizer.embed.FaceEmbedder;
import vap.recognizer.embed.FaceEmbeddingNet;
import vap.vision.align.FaceAligner;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What {@code vap eval verify} and {@code identify} share: the pipeline settings, the embedding cache, the output. */
public final class EvalOptions {
    @Mixin
    ServiceOptions service;

    @Option(names = "--cache", paramLabel = "FILE",
            description = "Keep the photos' embeddings in FILE: a re-run (other options, same pipeline settings) embeds nothing.")
    Path cache;

    @Option(names = "--crop", defaultValue = "ALIGNED", description = "Embedding crop: ALIGNED (landmarks) or BOX (padded box).")
    PhotoFaces.CropMode crop;

    @Option(names = "--face-scale", paramLabel = "S",
            description = "Size of the face in the aligned chip relative to dlib's padding-0.25 template (default: the pipeline's, ${DEFAULT-VALUE}).")
    double faceScale = FaceAligner.DEFAULT_FACE_SCALE;

    @Option(names = "--mirror", description = "Average each face's embedding with its mirror image's (as recognizer.embed.mirror=true, the default; turn it off with -D recognizer.embed.mirror=false).")
    boolean mirror;

    @Option(names = "--cached-only", description = "Embed nothing: use only the photos already in --cache (a partial report; the rest is counted as skipped).")
    boolean cachedOnly;

    @Option(names = "--json", description = "Print the report as JSON instead of a table.")
    boolean json;

    Settings settings() {
        return service.settings();
    }

    /** Embeds every photo under {@code root} in {@code files} once (cache first), with a progress bar on stderr. */
    EmbeddingCache embed(Path root, List<Path> files) {
        Settings s = settings();
        EmbedConfig embed = embedConfig(s);
        EmbeddingCache embeddings = new EmbeddingCache(setup(s));
        int loaded = embeddings.load(cache);
        if (loaded < 0) {
            System.err.println("eval: " + cache + " was made with other settings; embedding again and overwriting it");
        }
        long missing = files.stream().filter(f -> embeddings.get(PhotoEmbeddings.key(root, f)).isEmpty()).count();
        if (missing == 0 || cachedOnly) {
            if (missing > 0) {
                System.err.printf("eval: --cached-only: %d of %d photos are not in the cache and are skipped%n", missing, files.size());
            }
            return embeddings;
        }
        RecognizerConfig rc = RecognizerConfig.from(s);
        InferenceDevice.checkCpuIsa();
        try (PhotoFaces photos = PhotoFaces.configured(s, crop, new FaceAligner(faceScale));
             FaceEmbedder embedder = embed.embedder(new FaceEmbeddingNet(InferenceDevice.parse(rc.device())), rc.modelBatch());
             ProgressBar bar = new ProgressBar(System.err, "embed", files.size())) {
            new PhotoEmbeddings(photos, embedder, embeddings, cache).embedAll(root, files, f -> bar.step(f.getFileName().toString()));
        }
        return embeddings;
    }

    /** recognizer.embed.* with --mirror on top. */
    EmbedConfig embedConfig(Settings s) {
        EmbedConfig embed = EmbedConfig.from(s);
        return embed.withMirror(mirror || embed.mirror());
    }

    /** The cache's header: every pipeline setting the embeddings depend on; a cache with another is not read back. */
    String setup(Settings s) {
        MtcnnConfig m = DetectorConfig.from(s).mtcnn();
        return String.format(Locale.ROOT, "crop=%s min-face=%d scale=%s thresholds=%s/%s/%s max-side=%d"
                        + " large-faces=%s rotations=%s/%d channels=%s", crop, m.minFaceSize(), m.scaleFactor(), m.pnetThreshold(),
                m.rnetThreshold(), m.onetThreshold(), m.maxImageSide(), m.largeFaces(), m.rotations(),
                m.rotationMinFaceSize(), m.channels())
                // Only what differs from the pipeline's defaults is named (shorter headers).
                + (faceScale != FaceAligner.DEFAULT_FACE_SCALE ? " face-scale=" + faceScale : "")
                // mirror=true, landmarks=68: embeddings made otherwise must not be read back.
                + embedConfig(s).describe();
    }

    static String json(Object report) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report is not serialisable", e);
        }
    }
}
