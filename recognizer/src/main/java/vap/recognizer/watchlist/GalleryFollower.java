package vap.recognizer.watchlist;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.core.kafka.CompactedTopicReader;
import vap.core.kafka.KafkaSettings;
import vap.core.serde.AvroCodec;
import vap.messages.GalleryEntry;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps one replica's watchlist in step with the compacted gallery topic. Every replica reads every gallery
 * partition itself ({@link CompactedTopicReader}: assign, no consumer group), so each converges on the whole
 * watchlist and a tombstone erases the identity everywhere. At start it restores the last snapshot and reads on
 * from the offsets stored with it; it snapshots again every {@code watchlist.snapshot.interval} after changes,
 * and on close.
 */
public final class GalleryFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GalleryFollower.class);

    private final WatchlistConfig config;
    private final Watchlist watchlist;
    private final CompactedTopicReader<GalleryEntry, Identity> reader;
    private final Map<Integer, Long> positions = new HashMap<>();
    private final ReentrantLock applyLock = new ReentrantLock();
    private boolean dirty;
    /** Gallery records read whose embeddings were made with other recognizer.embed.* settings than ours. */
    private final AtomicInteger otherwiseEmbedded = new AtomicInteger();
    private static final int NAMED_MISMATCHES = 5;
    private long lastSnapshotNanos = System.nanoTime();

    public GalleryFollower(WatchlistConfig config, KafkaSettings kafka, String galleryTopic, AvroCodec<GalleryEntry> codec,
                           String clientId) {
        this.config = config;
        this.reader = new CompactedTopicReader<>(kafka, galleryTopic, "gallery",
                new CompactedTopicReader.Format<>(codec, GalleryEntry::getIdentityId, this::identityOf), clientId,
                "create it compacted (the launcher does so at start)");

        // A snapshot older than the gallery keeps tombstones could resurrect people erased since: refused.
        WatchlistSnapshot.Restored restored;
        try {
            restored = config.snapshotDir() == null ? null
                    : WatchlistSnapshot.read(config.snapshotDir(), config,
                            vap.core.kafka.TopicAdmin.deleteRetention(kafka, galleryTopic)).orElse(null);
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
        if (restored != null) {
            this.watchlist = restored.watchlist();
            log.info("watchlist: restored {} identities from the snapshot in {}; reading the gallery on from {}",
                    watchlist.size(), config.snapshotDir(), restored.galleryOffsets());
        } else {
            this.watchlist = new Watchlist(config);
        }
        reader.start(restored == null ? Map.of() : restored.galleryOffsets(), "gallery-follower",
                new CompactedTopicReader.Listener<>() {
                    @Override
                    public void read(CompactedTopicReader.Poll<Identity> poll) {
                        apply(poll);
                    }

                    @Override
                    public void caughtUp() {
                        log.info("watchlist: caught up with {} ({} identities)", galleryTopic, watchlist.size());
                        if (otherwiseEmbedded.get() > NAMED_MISMATCHES) {
                            log.warn("watchlist: {} gallery records (the first {} named above) were embedded with other "
                                    + "recognizer.embed.* settings than this recognizer's ({}): re-enrol them",
                                    otherwiseEmbedded.get(), NAMED_MISMATCHES, config.embedding().describe().trim());
                        }
                    }
                });
    }

    /**
     * The entry's identity; warns when its embeddings were made otherwise than this recognizer makes them (the
     * first few by name, then a count when the gallery is caught up, so a large old gallery does not flood the log).
     */
    private Identity identityOf(GalleryEntry entry) {
        String ours = config.embedding().describe().trim();
        String theirs = Watchlist.embeddingOf(entry);
        if (!theirs.equals(ours) && otherwiseEmbedded.incrementAndGet() <= NAMED_MISMATCHES) {
            log.warn("watchlist: {} was enrolled with embeddings made with {}, this recognizer makes them with {} "
                    + "(recognizer.embed.*): its scores are lower than the calibration assumes; re-enrol it with the "
                    + "same settings as the recognizers", entry.getIdentityId(), theirs, ours);
        }
        return Watchlist.identityOf(entry);
    }

    public Watchlist watchlist() {
        return watchlist;
    }

    /** Blocks until the gallery has been read up to where it stood at start (the watchlist is then complete). */
    public void awaitCaughtUp(Duration timeout) throws InterruptedException, TimeoutException {
        reader.awaitCaughtUp(timeout);
    }

    /** The next offset to read per gallery partition, as the watchlist reflects them now. */
    public Map<Integer, Long> positions() {
        applyLock.lock();
        try {
            return Map.copyOf(positions);
        } finally {
            applyLock.unlock();
        }
    }

    /** Records that could not be decoded and were skipped (logged with their offsets). */
    public long skipped() {
        return reader.skipped();
    }

    /** Writes a snapshot now, consistent with the offsets read so far. */
    public void snapshot() {
        if (config.snapshotDir() == null) {
            return;
        }
        applyLock.lock();
        try {
            watchlist.writeSnapshot(config.snapshotDir(), positions);
            dirty = false;
            lastSnapshotNanos = System.nanoTime();
        } finally {
            applyLock.unlock();
        }
    }

    /** On the reader's thread: one poll's changes, with the offsets they bring the watchlist to. */
    private void apply(CompactedTopicReader.Poll<Identity> poll) {
        applyLock.lock();
        try {
            if (poll.records() > 0) {
                watchlist.apply(poll.entries().stream().map(e -> e.tombstone() ? Watchlist.Change.erase(e.key())
                        : Watchlist.Change.enrol(e.value())).toList());
                dirty = true;
            }
            positions.putAll(poll.positions());
        } finally {
            applyLock.unlock();
        }
        if (dirty && System.nanoTime() - lastSnapshotNanos > config.snapshotInterval().toNanos()) {
            snapshot();
        }
    }

    @Override
    public void close() {
        try {
            reader.close();
            if (reader.failure() == null) {
                snapshot();
            }
        } finally {
            watchlist.close();
        }
    }
}
