package vap.detector.track;

/** What the tracker tells its owner (metrics), so the association code holds no meters. */
interface TrackListener {
    void opened();

    void confirmed();

    void closed(int tracks);

    /** A frame started a new scene; {@code tracks} open tracks were closed for it (also counted by closed). */
    void sceneCut(int tracks);
}
