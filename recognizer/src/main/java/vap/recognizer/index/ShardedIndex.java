package vap.recognizer.index;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N shards behind one {@link VectorIndex}: each id lives on exactly one shard (chosen from the id), a search
 * asks every shard for its own top-k in parallel and merges them, so the merged top-k is exactly the top-k
 * of one index holding everything. Shards are VectorIndex too, so one may later be a remote node.
 */
public final class ShardedIndex implements VectorIndex {
    private final List<VectorIndex> shards;
    private final int dimension;
    private final Metric metric;
    private final ExecutorService pool;

    public ShardedIndex(List<? extends VectorIndex> shards) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("a sharded index needs at least one shard");
        }
        this.shards = List.copyOf(shards);
        this.dimension = shards.get(0).dimension();
        this.metric = shards.get(0).metric();
        for (VectorIndex s : shards) {
            if (s.dimension() != dimension || s.metric() != metric) {
                throw new IllegalArgumentException("shards disagree: " + s.dimension() + "-d " + s.metric()
                        + " vs " + dimension + "-d " + metric);
            }
        }
        AtomicInteger n = new AtomicInteger();
        this.pool = shards.size() == 1 ? null : Executors.newFixedThreadPool(shards.size(), r -> {
            Thread t = new Thread(r, "index-shard-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    public List<VectorIndex> shards() {
        return shards;
    }

    /** The shard that owns {@code id}: a fixed function of the id, so every replica agrees. */
    public static int shardOf(long id, int shardCount) {
        long h = id * 0x9E3779B97F4A7C15L; // Fibonacci hashing spreads sequential ids evenly
        return (int) Math.floorMod(h >>> 17, (long) shardCount);
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public Metric metric() {
        return metric;
    }

    @Override
    public long size() {
        long n = 0;
        for (VectorIndex s : shards) {
            n += s.size();
        }
        return n;
    }

    @Override
    public void add(long[] ids, float[] vectors) {
        int n = ids.length;
        if (vectors.length != (long) n * dimension) {
            throw new IllegalArgumentException(ids.length + " ids for " + vectors.length / dimension + " vectors");
        }
        int count = shards.size();
        int[] sizes = new int[count];
        int[] owner = new int[n];
        for (int i = 0; i < n; i++) {
            owner[i] = shardOf(ids[i], count);
            sizes[owner[i]]++;
        }
        long[][] shardIds = new long[count][];
        float[][] shardVectors = new float[count][];
        for (int s = 0; s < count; s++) {
            shardIds[s] = new long[sizes[s]];
            shardVectors[s] = new float[sizes[s] * dimension];
        }
        int[] fill = new int[count];
        for (int i = 0; i < n; i++) {
            int s = owner[i];
            shardIds[s][fill[s]] = ids[i];
            System.arraycopy(vectors, i * dimension, shardVectors[s], fill[s] * dimension, dimension);
            fill[s]++;
        }
        for (int s = 0; s < count; s++) {
            if (sizes[s] > 0) {
                shards.get(s).add(shardIds[s], shardVectors[s]);
            }
        }
    }

    @Override
    public long remove(long[] ids) {
        int count = shards.size();
        List<List<Long>> byShard = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            byShard.add(new ArrayList<>());
        }
        for (long id : ids) {
            byShard.get(shardOf(id, count)).add(id);
        }
        long removed = 0;
        for (int s = 0; s < count; s++) {
            if (!byShard.get(s).isEmpty()) {
                removed += shards.get(s).remove(byShard.get(s).stream().mapToLong(Long::longValue).toArray());
            }
        }
        return removed;
    }

    @Override
    public SearchHits search(float[] queries, int k) {
        if (shards.size() == 1) {
            return shards.get(0).search(queries, k);
        }
        List<CompletableFuture<SearchHits>> parts = new ArrayList<>();
        for (VectorIndex shard : shards) {
            parts.add(CompletableFuture.supplyAsync(() -> shard.search(queries, k), pool));
        }
        List<SearchHits> answers = new ArrayList<>();
        for (CompletableFuture<SearchHits> p : parts) {
            answers.add(p.join());
        }
        return merge(metric, answers, k);
    }

    /** Merges per-shard top-k lists (each closest first) into the overall top-k, closest first. */
    public static SearchHits merge(Metric metric, List<SearchHits> answers, int k) {
        int queries = answers.get(0).queries();
        long[][] ids = new long[queries][k];
        float[][] scores = new float[queries][k];
        int shardCount = answers.size();
        for (int q = 0; q < queries; q++) {
            int[] cursor = new int[shardCount];
            for (int r = 0; r < k; r++) {
                int best = -1;
                for (int s = 0; s < shardCount; s++) {
                    int c = cursor[s];
                    long[] sIds = answers.get(s).ids()[q];
                    if (c >= sIds.length || sIds[c] == SearchHits.NO_ID) {
                        continue;
                    }
                    if (best < 0) {
                        best = s;
                        continue;
                    }
                    float sc = answers.get(s).scores()[q][c];
                    float bc = answers.get(best).scores()[q][cursor[best]];
                    // Ties go to the smaller id so the order does not depend on shard timing.
                    if (metric.closer(sc, bc) || (sc == bc && sIds[c] < answers.get(best).ids()[q][cursor[best]])) {
                        best = s;
                    }
                }
                if (best < 0) {
                    ids[q][r] = SearchHits.NO_ID;
                    scores[q][r] = metric.worst();
                } else {
                    ids[q][r] = answers.get(best).ids()[q][cursor[best]];
                    scores[q][r] = answers.get(best).scores()[q][cursor[best]];
                    cursor[best]++;
                }
            }
        }
        return new SearchHits(metric, ids, scores);
    }

    /** Trains every shard on the same sample: each then places any id the same way. */
    @Override
    public void train(float[] vectors) {
        for (VectorIndex s : shards) {
            s.train(vectors);
        }
    }

    @Override
    public void write(Path file) {
        throw new UnsupportedOperationException("a sharded index is written shard by shard (shards())");
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        for (VectorIndex s : shards) {
            s.close();
        }
    }
}
