package vap.recognizer.embed;

import vap.core.config.ConfigException;
import vap.core.config.Settings;

/**
 * How faces are embedded (keys {@code recognizer.embed.*}), read by everything that embeds (recognizer service,
 * enrolment, analyze, verify, eval, console enrolment) so that gallery templates and probes are made alike.
 *
 * @param mirror    each face's descriptor the mean with its mirror image's ({@code recognizer.embed.mirror}): better
 *                  separation on LFW DevTrain and DevTest (README "Recognition accuracy"), twice the network's cost;
 *                  off by default until the calibrated threshold's impostor table is measured with it
 * @param landmarks the points the chip is aligned on ({@code recognizer.embed.landmarks}): 5 (the detector's chip as
 *                  it comes) or 68 (the chip re-aligned on face-api.js's 68-point landmarks, {@link ChipRealigner};
 *                  one small net per face more)
 */
public record EmbedConfig(boolean mirror, int landmarks) {
    public static final boolean DEFAULT_MIRROR = false;
    public static final int DEFAULT_LANDMARKS = 5;

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

    /** What differs from the defaults, for cache headers and logs ("" at the defaults). */
    public String describe() {
        return (mirror != DEFAULT_MIRROR ? " mirror=" + mirror : "")
                + (landmarks != DEFAULT_LANDMARKS ? " landmarks=" + landmarks : "");
    }
}
