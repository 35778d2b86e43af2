package vap.recognizer.track;

import vap.core.config.ConfigException;

import java.time.Duration;

/**
 * How the recognizer treats a face track (keys {@code recognizer.track.*}, README "Configuration").
 *
 * @param maxEmbeddings   best crops (by quality) whose embeddings a track keeps and fuses
 * @param reembedInterval a crop no better than the kept ones is still embedded when the track's last embedding is
 *                        this old (capture time), so a changing face is followed
 * @param minFaces        embedded crops a tracked face needs before the track is decided (untracked faces: 1)
 * @param closeAfter      a track closes when its camera's newest capture is this much later than the track's last
 * @param idleCloseAfter  ... or when nothing of its camera arrived for this long (wall clock): a stopped camera or
 *                        detector still closes its tracks
 * @param samePerson      cosine similarity below which a new embedding is not the person the track's evidence
 *                        shows (the tracker switched identities, e.g. at a scene cut): the old evidence is dropped
 * @param updateInterval  an open track publishes an update (closed = false) when it has been seen this much longer
 *                        (capture time) since its last one, and whenever its published identity changes; 0: no updates,
 *                        only the closing record
 * @param betterBy        a crop is "better" (worth an embedding outside the first crops and the interval) when its
 *                        quality is this factor above the kept one it is compared with
 * @param unnamedMargin   an unnamed track spends its attempts on "better than the worst kept" crops only while its
 *                        fused score falls short of the threshold by at most this much (as a cosine similarity); a
 *                        track further below is a clear stranger and, like a named one, embeds only crops better
 *                        than its best
 */
public record TrackPolicy(int maxEmbeddings, Duration reembedInterval, int minFaces, Duration closeAfter,
                          Duration idleCloseAfter, float samePerson, Duration updateInterval, float betterBy,
                          float unnamedMargin) {
    static final Duration DEFAULT_UPDATE_INTERVAL = Duration.ofSeconds(10);
    /** DeepStream re-infers when the box grows 20%: a slow zoom or walk towards the camera grows 10% in a few frames. */
    static final float DEFAULT_BETTER_BY = 1.2f;
    /** An unnamed attempt raised a fused score by at most 0.011 on the sample run: 4 attempts cannot close 0.05. */
    static final float DEFAULT_UNNAMED_MARGIN = 0.05f;
    /** Embeddings a track may spend on "better than the worst kept" crops before it is named (Frigate: 12 / 6). */
    static final int UNNAMED_ATTEMPTS = 6;

    public TrackPolicy {
        if (maxEmbeddings < 1) {
            throw new ConfigException("recognizer.track.max.embeddings must be at least 1, got " + maxEmbeddings);
        }
        if (minFaces < 1 || minFaces > maxEmbeddings) {
            throw new ConfigException("recognizer.track.min.faces must be between 1 and recognizer.track.max.embeddings ("
                    + maxEmbeddings + "), got " + minFaces);
        }
        if (reembedInterval.isNegative() || closeAfter.isNegative() || closeAfter.isZero()
                || idleCloseAfter.isNegative() || idleCloseAfter.isZero()) {
            throw new ConfigException("recognizer.track.reembed.interval must be 0 or more, recognizer.track.close.after"
                    + " and recognizer.track.idle.close.after positive (got " + reembedInterval + ", " + closeAfter
                    + ", " + idleCloseAfter + ")");
        }
        if (!(samePerson >= -1f && samePerson <= 1f)) {
            throw new ConfigException("recognizer.track.same.person must be a cosine similarity in [-1, 1], got " + samePerson);
        }
        if (updateInterval == null || updateInterval.isNegative()) {
            throw new ConfigException("recognizer.track.update.interval must be 0 (no open-track updates) or more, got "
                    + updateInterval);
        }
        if (!(betterBy >= 1f && betterBy <= 10f)) {
            throw new ConfigException("recognizer.track.better.by must be a factor from 1 (any better crop) to 10, got "
                    + betterBy);
        }
        if (!(unnamedMargin >= 0f && unnamedMargin <= 2f)) {
            throw new ConfigException("recognizer.track.unnamed.margin must be a cosine-similarity gap from 0 (attempts"
                    + " only at the threshold) to 2 (always), got " + unnamedMargin);
        }
    }

    /** With the default crop comparison and unnamed-attempt margin. */
    public TrackPolicy(int maxEmbeddings, Duration reembedInterval, int minFaces, Duration closeAfter,
                       Duration idleCloseAfter, float samePerson, Duration updateInterval) {
        this(maxEmbeddings, reembedInterval, minFaces, closeAfter, idleCloseAfter, samePerson, updateInterval,
                DEFAULT_BETTER_BY, DEFAULT_UNNAMED_MARGIN);
    }

    /** With the default open-track update interval, crop comparison and unnamed-attempt margin. */
    public TrackPolicy(int maxEmbeddings, Duration reembedInterval, int minFaces, Duration closeAfter,
                       Duration idleCloseAfter, float samePerson) {
        this(maxEmbeddings, reembedInterval, minFaces, closeAfter, idleCloseAfter, samePerson, DEFAULT_UPDATE_INTERVAL);
    }

    public boolean updatesOpenTracks() {
        return !updateInterval.isZero();
    }

    public static TrackPolicy defaults() {
        return new TrackPolicy(5, Duration.ofSeconds(5), 2, Duration.ofSeconds(3), Duration.ofSeconds(10), 0.85f,
                DEFAULT_UPDATE_INTERVAL, DEFAULT_BETTER_BY, DEFAULT_UNNAMED_MARGIN);
    }
}
