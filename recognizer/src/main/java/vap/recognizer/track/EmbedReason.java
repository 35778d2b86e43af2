package vap.recognizer.track;

import java.util.Locale;

/** Why a track's crop was embedded (metric {@code vap.recognizer.track.embeddings{reason}}). */
public enum EmbedReason {
    /** The track has fewer than {@code recognizer.track.min.faces} crops: it cannot be decided yet. */
    FIRST,
    /** The track's last embedding is {@code recognizer.track.reembed.interval} old (capture time). */
    INTERVAL,
    /** Not yet named: a crop clearly better than the worst kept one, one of the track's unnamed attempts. */
    UNNAMED_BETTER,
    /** Named (or out of unnamed attempts): a crop clearly better than the best kept one. */
    BETTER;

    /** The metric tag and summary label: {@code first}, {@code interval}, {@code unnamed-better}, {@code better}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
