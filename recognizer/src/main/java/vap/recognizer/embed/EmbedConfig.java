package vap.recognizer.embed;

import vap.core.config.Settings;

/**
 * How faces are embedded (keys {@code recognizer.embed.*}), read by everything that embeds (recognizer service,
 * enrolment, analyze, verify, eval) so that gallery templates and probes are made alike.
 *
 * @param mirror each face's descriptor the mean with its mirror image's ({@code recognizer.embed.mirror}): better
 *               separation on LFW DevTrain and DevTest (README "Recognition accuracy"), twice the network's cost;
 *               off by default until the calibrated threshold's impostor table is measured with it
 */
public record EmbedConfig(boolean mirror) {
    public static final boolean DEFAULT_MIRROR = false;

    public static EmbedConfig defaults() {
        return new EmbedConfig(DEFAULT_MIRROR);
    }

    public static EmbedConfig from(Settings settings) {
        return new EmbedConfig(settings.bool("recognizer.embed.mirror", DEFAULT_MIRROR));
    }

    /** An embedder of {@code net} with these settings. */
    public FaceEmbedder embedder(FaceEmbeddingNet net, int batchSize) {
        return new FaceEmbedder(net, batchSize, mirror);
    }
}
