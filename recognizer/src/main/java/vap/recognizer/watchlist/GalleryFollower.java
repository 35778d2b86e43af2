package vap.recognizer.watchlist;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.core.kafka.KafkaSettings;
import vap.core.serde.AvroCodec;
import vap.core.serde.WireFormatException;
import vap.messages.GalleryEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps one replica's watchlist in step with the compacted gallery topic. Every replica reads every gallery
 * partition itself (assign, no consumer group), so each converges on the whole watchlist and a tombstone
 * erases the identity everywhere. At start it restores the last snapshot and reads on from the offsets stored
 * with it; it snapshots again every {@code watchlist.snapshot.interval} after changes, and on close.
 */
public final class GalleryFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GalleryFollower.class);

    private final WatchlistConfig config;
    private final String topic;
    private final AvroCodec<GalleryEntry> codec;
    private final Watchlist watchlist;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Map<Integer, Long> positions = new HashMap<>();
    private final Map<TopicPartition, Long> startEnd;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final ReentrantLock applyLock = new ReentrantLock();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;
    private boolean dirty;
    private long lastSnapshotNanos = System.nanoTime();
    private volatile long skipped; // written by the follower thread only

    public GalleryFollower(WatchlistConfig config, KafkaSettings kafka, String galleryTopic, AvroCodec<GalleryEntry> codec,
                           String clientId) {
        this.config = config;
        this.topic = galleryTopic;
        this.codec = codec;
        Map<String, Object> props = kafka.consumerProps("unused", clientId);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partitions, offsets kept in the snapshot
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // the gallery must be created compacted
        this.consumer = new KafkaConsumer<>(props);
        List<PartitionInfo> infos = consumer.partitionsFor(galleryTopic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("gallery topic " + galleryTopic + " does not exist on "
                    + kafka.bootstrapServers() + "; create it compacted (the launcher does so at start)");
        }
        infos.forEach(i -> partitions.add(new TopicPartition(galleryTopic, i.partition())));
        consumer.assign(partitions);

        // A snapshot older than the gallery keeps tombstones could resurrect people erased since: refused.
        WatchlistSnapshot.Restored restored = config.snapshotDir() == null ? null
                : WatchlistSnapshot.read(config.snapshotDir(), config,
                        vap.core.kafka.TopicAdmin.deleteRetention(kafka, galleryTopic)).orElse(null);
        if (restored != null) {
            this.watchlist = restored.watchlist();
            log.info("watchlist: restored {} identities from the snapshot in {}; reading the gallery on from {}",
                    watchlist.size(), config.snapshotDir(), restored.galleryOffsets());
        } else {
            this.watchlist = new Watchlist(config);
        }
        for (TopicPartition tp : partitions) {
            Long from = restored == null ? null : restored.galleryOffsets().get(tp.partition());
            if (from != null) {
                consumer.seek(tp, from);
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
        this.startEnd = consumer.endOffsets(partitions);
        this.thread = new Thread(this::run, "gallery-follower");
        thread.setDaemon(true);
        thread.start();
    }

    public Watchlist watchlist() {
        return watchlist;
    }

    /** Blocks until the gallery has been read up to where it stood at start (the watchlist is then complete). */
    public void awaitCaughtUp(Duration timeout) throws InterruptedException, TimeoutException {
        if (!caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            RuntimeException f = failure;
            throw new TimeoutException("gallery topic " + topic + " not caught up after " + timeout
                    + (f == null ? "" : ": " + f.getMessage()));
        }
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
        return skipped;
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

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                applyLock.lock();
                try {
                    if (!records.isEmpty()) {
                        watchlist.apply(changes(records));
                        dirty = true;
                    }
                    for (TopicPartition tp : partitions) {
                        positions.put(tp.partition(), consumer.position(tp));
                    }
                } finally {
                    applyLock.unlock();
                }
                if (caughtUp.getCount() > 0 && startEnd.entrySet().stream()
                        .allMatch(e -> positions.getOrDefault(e.getKey().partition(), 0L) >= e.getValue())) {
                    log.info("watchlist: caught up with {} ({} identities)", topic, watchlist.size());
                    caughtUp.countDown();
                }
                if (dirty && System.nanoTime() - lastSnapshotNanos > config.snapshotInterval().toNanos()) {
                    snapshot();
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            failure = e;
            log.error("gallery follower on {} stopped: {}", topic, e.toString(), e);
        }
    }

    private List<Watchlist.Change> changes(ConsumerRecords<String, byte[]> records) {
        List<Watchlist.Change> changes = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> r : records) {
            if (r.key() == null) {
                skip(r, "no key (the gallery is keyed by identity id)");
            } else if (r.value() == null) {
                changes.add(Watchlist.Change.erase(r.key()));
            } else {
                try {
                    GalleryEntry entry = codec.decode(r.topic(), r.value());
                    if (!entry.getIdentityId().equals(r.key())) {
                        skip(r, "key " + r.key() + " differs from identityId " + entry.getIdentityId());
                        continue;
                    }
                    changes.add(Watchlist.Change.enrol(Watchlist.identityOf(entry)));
                } catch (WireFormatException | IllegalArgumentException e) {
                    skip(r, e.getMessage());
                }
            }
        }
        return changes;
    }

    private void skip(ConsumerRecord<String, byte[]> r, String why) {
        skipped++;
        log.warn("gallery record {}[{}]@{} skipped: {}", r.topic(), r.partition(), r.offset(), why);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (failure == null) {
                snapshot();
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
            watchlist.close();
        }
    }
}
