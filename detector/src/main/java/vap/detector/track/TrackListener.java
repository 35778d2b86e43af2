package vap.detector.track;

/** What the tracker tells its owner (metrics), so the association code holds no meters. */
interface TrackListener {
    void opened();

    void confirmed();

    void closed(int tracks);
}
