package vap.recognizer.watchlist;

import vap.core.config.ConfigException;
import vap.core.config.Settings;
import vap.recognizer.embed.EmbedConfig;
import vap.recognizer.index.Metric;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The watchlist's settings (keys {@code watchlist.*}; README "Configuration").
 *
 * @param metric       IP (cosine similarity of unit embeddings) or L2 (Euclidean distance between them)
 * @param threshold    fixed: a candidate matches when its similarity is at least this (IP) or its distance at most
 *                     this (L2); NaN (the default): calibrated from {@code targetFpir} and the watchlist's size
 * @param targetFpir   calibrated threshold: the chance that a stranger alerts, at the watchlist's current size
 * @param impostorScores the impostor score table of the calibration (null: the one shipped for {@code embedding})
 * @param embedding    how the faces are embedded ({@code recognizer.embed.*}): picks the shipped impostor table
 * @param topK         candidates reported per face
 * @param indexType    flat or ivf
 * @param shards       index shards searched in parallel inside the process
 * @param ivfNlist     IVF inverted lists
 * @param ivfNprobe    IVF lists searched per query
 * @param ivfTrainSize identities needed before the IVF index is trained; below it the watchlist stays flat
 * @param snapshotDir  where the index snapshot lives (null: no snapshot)
 * @param snapshotInterval how often the gallery follower snapshots after changes
 */
public record WatchlistConfig(Metric metric, float threshold, double targetFpir, Path impostorScores, int topK, IndexType indexType, int shards, int ivfNlist,
                              int ivfNprobe, int ivfTrainSize, Path snapshotDir, Duration snapshotInterval,
                              EmbedConfig embedding) {
    public static final int DIMENSION = 128;
    /** The fixed threshold before calibration (issue 11 measured it: most strangers alert at a few hundred people). */
    public static final float DEFAULT_IP_THRESHOLD = 0.92f;
    public static final float DEFAULT_L2_THRESHOLD = 0.40f; // sqrt(2 - 2 x 0.92): the same cut for unit vectors
    /** The calibrated threshold's default target: 1 stranger in 100 alerts, whatever the watchlist's size. */
    public static final double DEFAULT_TARGET_FPIR = 0.01;

    public WatchlistConfig {
        if (!(targetFpir > 0 && targetFpir < 1)) {
            throw new ConfigException("watchlist.target-fpir must be between 0 and 1 (exclusive), got " + targetFpir);
        }
        if (topK < 1) {
            throw new ConfigException("watchlist.top-k must be at least 1, got " + topK);
        }
        if (shards < 1) {
            throw new ConfigException("watchlist.shards must be at least 1, got " + shards);
        }
        if (indexType == IndexType.IVF && (ivfNlist < 1 || ivfNprobe < 1 || ivfTrainSize < ivfNlist)) {
            throw new ConfigException("watchlist.ivf.nlist and .nprobe must be at least 1 and watchlist.ivf.train-size "
                    + "at least nlist (got nlist " + ivfNlist + ", nprobe " + ivfNprobe + ", train-size " + ivfTrainSize + ")");
        }
    }

    public static WatchlistConfig defaults() {
        return from(Settings.empty());
    }

    public static WatchlistConfig from(Settings s) {
        Metric metric;
        IndexType type;
        try {
            metric = Metric.parse(s.string("watchlist.metric", "IP"));
            type = IndexType.parse(s.string("watchlist.index", "flat"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("watchlist: " + e.getMessage());
        }
        String fixed = s.string("watchlist.threshold", "calibrated");
        float threshold;
        try {
            threshold = fixed.isBlank() || fixed.equalsIgnoreCase("calibrated") ? Float.NaN : Float.parseFloat(fixed);
        } catch (NumberFormatException e) {
            throw new ConfigException("watchlist.threshold must be a number or 'calibrated', got '" + fixed + "'");
        }
        String table = s.string("watchlist.impostor-scores", "");
        int nlist = s.integer("watchlist.ivf.nlist", 1024);
        String dir = s.string("watchlist.snapshot.dir", ".vap/watchlist");
        return new WatchlistConfig(metric, threshold, s.number("watchlist.target-fpir", DEFAULT_TARGET_FPIR),
                table.isBlank() ? null : Path.of(table), s.integer("watchlist.top-k", 5), type,
                s.integer("watchlist.shards", 1), nlist, s.integer("watchlist.ivf.nprobe", 32),
                s.integer("watchlist.ivf.train-size", 39 * nlist),
                dir.isBlank() || dir.equalsIgnoreCase("none") ? null : Path.of(dir),
                s.duration("watchlist.snapshot.interval", Duration.ofSeconds(60)), EmbedConfig.from(s));
    }

    /** True when the threshold follows the watchlist's size (no fixed {@code watchlist.threshold}). */
    public boolean calibrated() {
        return Float.isNaN(threshold);
    }

    public WatchlistConfig withSnapshotDir(Path dir) {
        return new WatchlistConfig(metric, threshold, targetFpir, impostorScores, topK, indexType, shards, ivfNlist, ivfNprobe, ivfTrainSize, dir,
                snapshotInterval, embedding);
    }

    public WatchlistConfig withShards(int n) {
        return new WatchlistConfig(metric, threshold, targetFpir, impostorScores, topK, indexType, n, ivfNlist, ivfNprobe, ivfTrainSize, snapshotDir,
                snapshotInterval, embedding);
    }
}
