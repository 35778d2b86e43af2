package vap.recognizer.watchlist;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.recognizer.faiss.FaissIndexes;
import vap.recognizer.index.IndexFactory;
import vap.recognizer.index.Metric;
import vap.recognizer.index.VectorIndex;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The watchlist on disk: {@code <dir>/snapshot/} holds identities.bin (identities, mean embeddings, the gallery
 * topic offsets the snapshot reflects) and shard-N.faiss (FAISS's own index files). A new snapshot is written
 * beside the old one and swapped in by renames, so a crash mid-write leaves the previous snapshot usable.
 */
public final class WatchlistSnapshot {
    private static final Logger log = LoggerFactory.getLogger(WatchlistSnapshot.class);
    private static final int MAGIC = 0x5641_5057; // "VAPW"
    // 2: the time of writing follows the format, so a snapshot older than the gallery's tombstones can be refused.
    private static final int FORMAT = 2;

    /** A restored watchlist and the next gallery offset to read on each partition. */
    public record Restored(Watchlist watchlist, Map<Integer, Long> galleryOffsets) {
    }

    private WatchlistSnapshot() {
    }

    static void write(Path dir, WatchlistConfig config, Collection<Identity> identities, List<VectorIndex> shards,
                      boolean ivfTrained, Map<Integer, Long> offsets) {
        try {
            Files.createDirectories(dir);
            Path partial = dir.resolve("snapshot.partial");
            Path current = dir.resolve("snapshot");
            Path previous = dir.resolve("snapshot.previous");
            deleteTree(partial);
            Files.createDirectories(partial);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                    Files.newOutputStream(partial.resolve("identities.bin")), 1 << 16))) {
                out.writeInt(MAGIC);
                out.writeInt(FORMAT);
                out.writeLong(System.currentTimeMillis());
                out.writeUTF(config.metric().name());
                out.writeUTF(ivfTrained ? IndexType.IVF.name() : IndexType.FLAT.name());
                out.writeInt(shards.size());
                out.writeInt(offsets.size());
                for (Map.Entry<Integer, Long> e : offsets.entrySet()) {
                    out.writeInt(e.getKey());
                    out.writeLong(e.getValue());
                }
                out.writeInt(identities.size());
                // Embeddings go in as one big-endian block each, the layout DataOutputStream.writeFloat would give.
                ByteBuffer floats = ByteBuffer.allocate(4 * WatchlistConfig.DIMENSION);
                for (Identity i : identities) {
                    out.writeUTF(i.identityId());
                    out.writeUTF(i.displayName());
                    out.writeUTF(i.watchlist());
                    out.writeLong(i.indexId());
                    out.writeInt(i.photos());
                    out.writeLong(i.enrolledAt().toEpochMilli());
                    floats.clear();
                    floats.asFloatBuffer().put(i.embedding());
                    out.write(floats.array());
                }
            }
            for (int s = 0; s < shards.size(); s++) {
                shards.get(s).write(partial.resolve("shard-" + s + ".faiss"));
            }
            deleteTree(previous);
            if (Files.exists(current)) {
                Files.move(current, previous, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(partial, current, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(previous);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the watchlist snapshot under " + dir, e);
        }
    }

    /**
     * Loads the snapshot under {@code dir}, if there is one. When it was written under another metric, index
     * type or shard count than {@code config} asks for, the index is rebuilt from the stored embeddings.
     */
    public static Optional<Restored> read(Path dir, WatchlistConfig config) {
        return read(dir, config, new FaissIndexes(), null);
    }

    /** As {@link #read(Path, WatchlistConfig)}, but none when it is older than {@code maxAge} (null: any age). */
    public static Optional<Restored> read(Path dir, WatchlistConfig config, Duration maxAge) {
        return read(dir, config, new FaissIndexes(), maxAge);
    }

    /** As {@link #read(Path, WatchlistConfig)}, the shard files read by {@code indexes}. */
    public static Optional<Restored> read(Path dir, WatchlistConfig config, IndexFactory indexes) {
        return read(dir, config, indexes, null);
    }

    private static Optional<Restored> read(Path dir, WatchlistConfig config, IndexFactory indexes, Duration maxAge) {
        Path snapshot = dir.resolve("snapshot");
        if (!Files.isRegularFile(snapshot.resolve("identities.bin"))) {
            snapshot = dir.resolve("snapshot.previous"); // a crash between the two renames
            if (!Files.isRegularFile(snapshot.resolve("identities.bin"))) {
                return Optional.empty();
            }
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                Files.newInputStream(snapshot.resolve("identities.bin")), 1 << 16))) {
            int format = in.readInt() == MAGIC ? in.readInt() : -1;
            if (format != 1 && format != FORMAT) {
                throw new IOException(snapshot + "/identities.bin is not a watchlist snapshot of format " + FORMAT);
            }
            Instant writtenAt = format == 1 ? Instant.EPOCH : Instant.ofEpochMilli(in.readLong());
            if (maxAge != null && writtenAt.isBefore(Instant.now().minus(maxAge))) {
                // Tombstones written since may already be compacted away: reading on from the snapshot's offsets
                // would never see those erasures and would bring the erased people back.
                log.warn("watchlist snapshot {} was written at {}, longer ago than the gallery keeps tombstones "
                        + "(delete.retention.ms {} s): ignored; rebuilding the watchlist from the gallery topic",
                        snapshot, format == 1 ? "an unknown time" : writtenAt, maxAge.toSeconds());
                return Optional.empty();
            }
            // Every stored count and name is checked before it sizes anything: a damaged file must not allocate
            // gigabytes or end in an exception that does not say which file is wrong.
            Metric metric = constant(Metric.class, in.readUTF(), snapshot);
            IndexType type = constant(IndexType.class, in.readUTF(), snapshot);
            int shardCount = bounded(in.readInt(), 1, MAX_SHARDS, "shard count", snapshot);
            Map<Integer, Long> offsets = new LinkedHashMap<>();
            int partitions = bounded(in.readInt(), 0, MAX_PARTITIONS, "partition count", snapshot);
            for (int p = 0; p < partitions; p++) {
                int partition = bounded(in.readInt(), 0, MAX_PARTITIONS - 1, "partition", snapshot);
                long offset = in.readLong();
                if (offset < 0) {
                    throw new IOException(snapshot + " is corrupt: negative gallery offset " + offset);
                }
                offsets.put(partition, offset);
            }
            long fileBytes = Files.size(snapshot.resolve("identities.bin"));
            // Each identity takes at least its embedding block and 28 bytes of fixed fields.
            int n = bounded(in.readInt(), 0, (int) Math.min(Integer.MAX_VALUE, fileBytes / (4L * WatchlistConfig.DIMENSION + 28)),
                    "identity count", snapshot);
            List<Identity> identities = new ArrayList<>(n);
            byte[] block = new byte[4 * WatchlistConfig.DIMENSION];
            for (int i = 0; i < n; i++) {
                String id = in.readUTF();
                String name = in.readUTF();
                String list = in.readUTF();
                long indexId = in.readLong();
                int photos = in.readInt();
                Instant at = Instant.ofEpochMilli(in.readLong());
                float[] e = new float[WatchlistConfig.DIMENSION];
                in.readFully(block);
                ByteBuffer.wrap(block).asFloatBuffer().get(e);
                for (float f : e) {
                    if (!Float.isFinite(f)) {
                        throw new IOException(snapshot + " is corrupt: identity " + id + " has a non-finite embedding");
                    }
                }
                identities.add(new Identity(id, name, list, indexId, e, photos, at));
            }
            boolean sameLayout = metric == config.metric() && shardCount == config.shards()
                    && (type == IndexType.FLAT || config.indexType() == IndexType.IVF);
            if (sameLayout) {
                List<VectorIndex> shards = new ArrayList<>();
                long total = 0;
                for (int s = 0; s < shardCount; s++) {
                    VectorIndex shard = indexes.read(snapshot.resolve("shard-" + s + ".faiss"));
                    shards.add(shard);
                    total += shard.size();
                }
                if (total == n) {
                    return Optional.of(new Restored(new Watchlist(config, indexes, identities, shards,
                            type == IndexType.IVF), offsets));
                }
                shards.forEach(VectorIndex::close);
                log.warn("watchlist snapshot {}: index holds {} vectors for {} identities; rebuilding the index", snapshot, total, n);
            } else {
                log.info("watchlist snapshot {} was written as {} {} x{}; configuration asks {} {} x{}: rebuilding the index",
                        snapshot, metric, type, shardCount, config.metric(), config.indexType(), config.shards());
            }
            Watchlist rebuilt = new Watchlist(config, indexes);
            rebuilt.apply(identities.stream().map(Watchlist.Change::enrol).toList());
            return Optional.of(new Restored(rebuilt, offsets));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the watchlist snapshot under " + dir
                    + " (delete it to rebuild the watchlist from the gallery topic)", e);
        }
    }

    private static final int MAX_SHARDS = 4096;
    private static final int MAX_PARTITIONS = 100_000;

    private static int bounded(int value, int min, int max, String what, Path snapshot) throws IOException {
        if (value < min || value > max) {
            throw new IOException(snapshot + " is corrupt: " + what + " " + value + " is outside " + min + ".." + max);
        }
        return value;
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String name, Path snapshot) throws IOException {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IOException(snapshot + " is corrupt: '" + name + "' is no " + type.getSimpleName(), e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
