package vap.recognizer.watchlist;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.messages.GalleryEntry;
import vap.recognizer.embed.EmbedConfig;
import vap.recognizer.embed.Embeddings;
import vap.recognizer.faiss.FaissIndexes;
import vap.recognizer.index.IndexFactory;
import vap.recognizer.index.SearchHits;
import vap.recognizer.index.ShardedIndex;
import vap.recognizer.index.VectorIndex;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The enrolled identities and their vector index (FAISS unless another {@link IndexFactory} is given). One vector per identity: the re-normalised mean of its
 * enrolment embeddings, so the top-k of the index are the top-k identities (no over-fetching and de-duplicating
 * per photo) and the index does not grow with photos; averaging also evens out one poor photo.
 * Searches run concurrently; changes (from the gallery topic) wait for them. Negative feedback (the feedback topic,
 * {@link Negatives}) raises an identity's threshold for faces close to those an analyst said are not that person.
 * <p>Over 300 lines because the identities, the index rows and the negatives change together under one lock; the
 * rules themselves live in {@link MatchThreshold} and {@link Negatives}.
 */
public final class Watchlist implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Watchlist.class);

    private final WatchlistConfig config;
    private final IndexFactory indexes;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Identity> byIdentityId = new LinkedHashMap<>();
    private final Map<Long, Identity> byIndexId = new HashMap<>();
    private final MatchThreshold matchThreshold;
    private final Negatives negatives = new Negatives();
    private ShardedIndex index;
    private boolean ivfTrained;

    public Watchlist(WatchlistConfig config) {
        this(config, new FaissIndexes());
    }

    public Watchlist(WatchlistConfig config, IndexFactory indexes) {
        this.config = config;
        this.indexes = indexes;
        this.matchThreshold = MatchThreshold.of(config);
        this.index = newIndex(false);
    }

    /** Restores identities and their already-built shards (from a snapshot); the shards must hold exactly them. */
    Watchlist(WatchlistConfig config, IndexFactory indexes, Collection<Identity> identities,
              List<? extends VectorIndex> shards, boolean ivfTrained) {
        this.config = config;
        this.indexes = indexes;
        this.matchThreshold = MatchThreshold.of(config);
        for (Identity i : identities) {
            byIdentityId.put(i.identityId(), i);
            byIndexId.put(i.indexId(), i);
        }
        this.index = new ShardedIndex(shards);
        this.ivfTrained = ivfTrained;
    }

    public WatchlistConfig config() {
        return config;
    }

    /** The index id of an identity: 63 bits of SHA-256 of its id, the same on every replica. */
    public static long indexIdOf(String identityId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(identityId.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(h).getLong() & Long.MAX_VALUE; // -1 means "no result" to FAISS
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The index entry for a gallery record: its embeddings averaged. */
    public static Identity identityOf(GalleryEntry entry) {
        List<float[]> vectors = new ArrayList<>();
        for (List<Float> e : entry.getEmbeddings()) {
            if (e.size() != WatchlistConfig.DIMENSION) {
                throw new IllegalArgumentException("identity " + entry.getIdentityId() + " has a " + e.size()
                        + "-d embedding; the watchlist holds " + WatchlistConfig.DIMENSION + "-d ones");
            }
            float[] v = new float[e.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = e.get(i);
            }
            vectors.add(v);
        }
        if (vectors.isEmpty()) {
            throw new IllegalArgumentException("identity " + entry.getIdentityId() + " has no embeddings");
        }
        return new Identity(entry.getIdentityId(), entry.getDisplayName(), entry.getWatchlist(),
                indexIdOf(entry.getIdentityId()), Embeddings.meanOf(vectors), vectors.size(), entry.getEnrolledTimestamp());
    }

    /** One change from the gallery topic: an identity enrolled (or re-enrolled), or erased (identity null). */
    public record Change(String identityId, Identity identity) {
        public static Change enrol(Identity identity) {
            return new Change(identity.identityId(), identity);
        }

        public static Change erase(String identityId) {
            return new Change(identityId, null);
        }
    }

    public void put(Identity identity) {
        apply(List.of(Change.enrol(identity)));
    }

    /** Erases an identity; true when it was enrolled. */
    public boolean erase(String identityId) {
        lock.readLock().lock();
        boolean present;
        try {
            present = byIdentityId.containsKey(identityId);
        } finally {
            lock.readLock().unlock();
        }
        apply(List.of(Change.erase(identityId)));
        return present;
    }

    /** Applies changes in order (a later change to the same identity wins), with one index update per batch. */
    public void apply(List<Change> changes) {
        Map<String, Change> last = new LinkedHashMap<>();
        for (Change c : changes) {
            last.remove(c.identityId());
            last.put(c.identityId(), c);
        }
        lock.writeLock().lock();
        try {
            List<Long> stale = new ArrayList<>();
            List<Identity> added = new ArrayList<>();
            for (Change c : last.values()) {
                Identity old = byIdentityId.remove(c.identityId());
                if (old != null) {
                    byIndexId.remove(old.indexId());
                    stale.add(old.indexId());
                }
                if (c.identity() != null) {
                    Identity clash = byIndexId.get(c.identity().indexId());
                    if (clash != null) {
                        throw new IllegalStateException("identities " + clash.identityId() + " and "
                                + c.identityId() + " hash to the same index id; rename one of them");
                    }
                    byIdentityId.put(c.identityId(), c.identity());
                    byIndexId.put(c.identity().indexId(), c.identity());
                    added.add(c.identity());
                }
            }
            if (!stale.isEmpty()) {
                index.remove(stale.stream().mapToLong(Long::longValue).toArray());
            }
            if (config.indexType() == IndexType.IVF && !ivfTrained && byIdentityId.size() >= config.ivfTrainSize()) {
                rebuild(true); // enough identities to learn the IVF centroids from
            } else if (!added.isEmpty()) {
                index.add(ids(added), vectors(added));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The match threshold now, for evidence fused from {@code faces} crops (1 for a single crop). */
    public float threshold(int faces) {
        return matchThreshold.at(size(), faces);
    }

    public MatchThreshold matchThreshold() {
        return matchThreshold;
    }

    /**
     * The decision on one piece of evidence: {@code embedding} is a unit embedding, or the re-normalised mean of
     * {@code faces} crops' unit embeddings (a track); the threshold is the one for that many fused faces.
     */
    public Decision decide(float[] embedding, int faces) {
        List<Candidate> cs = search(List.of(embedding), faces).get(0);
        float threshold = threshold(faces);
        if (cs.isEmpty()) {
            return new Decision(null, Float.NaN, threshold, faces, false);
        }
        Candidate best = cs.get(0);
        return new Decision(best, best.score(), best.threshold(), faces, best.passes());
    }

    /** The top-k candidates of each face embedding, best first; erased identities never appear. */
    public List<List<Candidate>> search(List<float[]> embeddings) {
        return search(embeddings, 1);
    }

    /** As {@link #search(List)}, each embedding fused from {@code faces} crops. */
    public List<List<Candidate>> search(List<float[]> embeddings, int faces) {
        List<List<Candidate>> out = new ArrayList<>(embeddings.size());
        if (embeddings.isEmpty()) {
            return out;
        }
        float[] queries = new float[embeddings.size() * WatchlistConfig.DIMENSION];
        for (int i = 0; i < embeddings.size(); i++) {
            System.arraycopy(embeddings.get(i), 0, queries, i * WatchlistConfig.DIMENSION, WatchlistConfig.DIMENSION);
        }
        lock.readLock().lock();
        try {
            float threshold = matchThreshold.at(byIdentityId.size(), faces);
            SearchHits hits = index.search(queries, config.topK());
            for (int q = 0; q < hits.queries(); q++) {
                List<Candidate> cs = new ArrayList<>();
                for (int r = 0; r < config.topK(); r++) {
                    Identity who = byIndexId.get(hits.ids()[q][r]);
                    if (who != null) {
                        float score = hits.scores()[q][r];
                        float t = negatives.threshold(who.identityId(), embeddings.get(q), threshold, config.metric());
                        cs.add(new Candidate(who, score, config.metric().passes(score, t), t));
                    }
                }
                out.add(cs);
            }
        } finally {
            lock.readLock().unlock();
        }
        return out;
    }

    /** One change from the feedback topic: feedback given ({@code embedding} is not {@code identityId}) or withdrawn (identity null). */
    public record Feedback(String feedbackId, String identityId, float[] embedding) {
        public static Feedback given(String feedbackId, String identityId, float[] embedding) {
            if (embedding.length != WatchlistConfig.DIMENSION) {
                throw new IllegalArgumentException("feedback " + feedbackId + " has a " + embedding.length
                        + "-d embedding; the watchlist holds " + WatchlistConfig.DIMENSION + "-d ones");
            }
            return new Feedback(feedbackId, identityId, Embeddings.normalised(embedding));
        }

        public static Feedback withdrawn(String feedbackId) {
            return new Feedback(feedbackId, null, null);
        }
    }

    /** Applies negative feedback in order; it is kept whether or not the identity is enrolled (now or later). */
    public void applyFeedback(List<Feedback> changes) {
        lock.writeLock().lock();
        try {
            for (Feedback f : changes) {
                if (f.identityId() == null) {
                    negatives.remove(f.feedbackId());
                } else {
                    negatives.put(f.feedbackId(), f.identityId(), f.embedding());
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Negative feedback held: in all, or for one identity. */
    public int feedbackCount(String identityId) {
        lock.readLock().lock();
        try {
            return identityId == null ? negatives.size() : negatives.of(identityId);
        } finally {
            lock.readLock().unlock();
        }
    }

    public Optional<Identity> get(String identityId) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(byIdentityId.get(identityId));
        } finally {
            lock.readLock().unlock();
        }
    }

    public List<Identity> identities() {
        lock.readLock().lock();
        try {
            return List.copyOf(byIdentityId.values());
        } finally {
            lock.readLock().unlock();
        }
    }

    public int size() {
        lock.readLock().lock();
        try {
            return byIdentityId.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Vectors in the index (equals {@link #size()}; a check that the two never drift apart). */
    public long indexedVectors() {
        lock.readLock().lock();
        try {
            return index.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Writes the snapshot (identities, index shards, the gallery offsets it reflects) atomically to {@code dir}. */
    public void writeSnapshot(java.nio.file.Path dir, Map<Integer, Long> galleryOffsets) {
        lock.readLock().lock();
        try {
            WatchlistSnapshot.write(dir, config, byIdentityId.values(), index.shards(), ivfTrained, galleryOffsets);
        } finally {
            lock.readLock().unlock();
        }
    }

    private void rebuild(boolean ivf) {
        ShardedIndex fresh = newIndex(ivf);
        List<Identity> all = new ArrayList<>(byIdentityId.values());
        float[] vectors = vectors(all);
        if (ivf) {
            fresh.train(vectors);
            log.info("watchlist: {} identities reached watchlist.ivf.train-size; trained IVF ({} lists) and moved them over",
                    all.size(), config.ivfNlist());
        }
        fresh.add(ids(all), vectors);
        ShardedIndex old = index;
        index = fresh;
        ivfTrained = ivf;
        old.close();
    }

    private ShardedIndex newIndex(boolean ivf) {
        List<VectorIndex> shards = new ArrayList<>();
        for (int i = 0; i < config.shards(); i++) {
            shards.add(ivf
                    ? indexes.ivf(WatchlistConfig.DIMENSION, config.metric(), config.ivfNlist(), config.ivfNprobe())
                    : indexes.flat(WatchlistConfig.DIMENSION, config.metric()));
        }
        return new ShardedIndex(shards);
    }

    private static long[] ids(List<Identity> identities) {
        long[] ids = new long[identities.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = identities.get(i).indexId();
        }
        return ids;
    }

    private static float[] vectors(List<Identity> identities) {
        int d = WatchlistConfig.DIMENSION;
        float[] out = new float[identities.size() * d];
        for (int i = 0; i < identities.size(); i++) {
            System.arraycopy(identities.get(i).embedding(), 0, out, i * d, d);
        }
        return out;
    }

    /** What a gallery entry without {@code embedding} was made with: the embedding defaults before 2026-11-30. */
    public static final String LEGACY_EMBEDDING = "mirror=false landmarks=5";

    /** How an entry's embeddings were made, as {@link EmbedConfig#describe()} names it (trimmed). */
    public static String embeddingOf(GalleryEntry entry) {
        return entry.getEmbedding() == null ? LEGACY_EMBEDDING : entry.getEmbedding();
    }

    /** A GalleryEntry for an identity enrolled now from embeddings made at the default {@code recognizer.embed.*}. */
    public static GalleryEntry entry(String identityId, String displayName, String watchlist, List<float[]> embeddings) {
        return entry(identityId, displayName, watchlist, embeddings, EmbedConfig.defaults().describe());
    }

    /**
     * A GalleryEntry for an identity enrolled now from these embeddings (what the enroll command publishes);
     * {@code embedding}: how they were made ({@code EmbedConfig.describe()}), so a recognizer can tell.
     */
    public static GalleryEntry entry(String identityId, String displayName, String watchlist, List<float[]> embeddings,
                                     String embedding) {
        List<List<Float>> es = new ArrayList<>();
        for (float[] e : embeddings) {
            List<Float> l = new ArrayList<>(e.length);
            for (float x : e) {
                l.add(x);
            }
            es.add(l);
        }
        return GalleryEntry.newBuilder().setIdentityId(identityId).setDisplayName(displayName)
                .setWatchlist(watchlist).setEmbeddings(es).setEnrolledTimestamp(Instant.now())
                .setEmbedding(embedding.trim()).build();
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            index.close();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
