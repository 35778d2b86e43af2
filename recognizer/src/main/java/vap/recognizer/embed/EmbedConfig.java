package vap.recognizer.embed;

import vap.core.config.ConfigException;
import vap.core.config.Settings;

/**
 * How faces are embedded (keys {@code recognizer.embed.*}), read by everything that embeds (recognizer service,
 * enrolment, analyze, verify, eval, console enrolment) so that gallery templates and probes are made alike.
 *
 * The defaults (68 points, mirror on) separated LFW View 1 best and halve FNIR for fused tracks at FPIR 1%
 * (README "Recognition accuracy"), for 2.3x the CPU per embedded face; each setting has its own shipped impostor
 * table (the watchlist picks it), so the calibrated threshold holds whichever is chosen.
 *
 * @param mirror    each face's descriptor the mean with its mirror image's ({@code recognizer.embed.mirror}):
 *                  twice the embedding network's cost
 * @param landmarks the points the chip is aligned on ({@code recognizer.embed.landmarks}): 5 (the detector's chip as
 *                  it comes) or 68 (the chip re-aligned on face-api.js's 68-point landmarks, {@link ChipRealigner};
 *                  one small net per face more)
 */
public record EmbedConfig(boolean mirror, int landmarks) {
    public static final boolean DEFAULT_MIRROR = true;
    public static final int DEFAULT_LANDMARKS = 68;

    public EmbedConfig {
        if (landmarks != 5 && landmarks != 68) {
            throw new ConfigException("recognizer.embed.landmarks must be 5 or 68, got " + landmarks);
        }
    }

    public static EmbedConfig defaults() {
        return new EmbedConfig(DEFAULT_MIRROR, DEFAULT_LANDMARKS);
    }

    public static EmbedConfig from(Settings settings) {
        return new EmbedConfig(settings.bool("recognizer.embed.mirror", DEFAULT_MIRROR),
                settings.integer("recognizer.embed.landmarks", DEFAULT_LANDMARKS));
    }

    public EmbedConfig withMirror(boolean on) {
        return new EmbedConfig(on, landmarks);
    }

    /** An embedder of {@code net} with these settings (the landmark net, if any, on the same device). */
    public FaceEmbedder embedder(FaceEmbeddingNet net, int batchSize) {
        ChipRealigner realigner = landmarks == 68 ? new ChipRealigner(new FaceLandmarkNet(net.device())) : null;
        return new FaceEmbedder(net, batchSize, mirror, realigner);
    }

    /**
     * Both settings, for cache headers and logs; always spelled out, so embeddings made under other defaults
     * (before 2026-11-30 the defaults were 5 points without the mirror) are never taken for these.
     */
    public String describe() {
        return " mirror=" + mirror + " landmarks=" + landmarks;
    }
}
