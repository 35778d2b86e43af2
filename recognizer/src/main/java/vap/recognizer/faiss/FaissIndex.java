package vap.recognizer.faiss;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import vap.recognizer.index.Metric;
import vap.recognizer.index.SearchHits;
import vap.recognizer.index.VectorIndex;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One FAISS index in native memory: flat (exact; IndexIDMap2 over IndexFlat, inner product or L2) or IVF
 * (IndexIVFFlat, for large galleries; train before add). Searches run concurrently; add, remove and train
 * wait for them (FAISS allows concurrent const searches, not a search during a mutation).
 * <p>Over 300 lines because every native call (and its buffer reuse and lock) must stay next to the one pointer it guards.
 */
public final class FaissIndex implements VectorIndex {
    private static final Object LOAD_LOCK = new Object();
    /** Per-thread native buffers for searches up to this many floats: a search then allocates nothing native. */
    private static final int REUSED_BUFFER_FLOATS = 1 << 20;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(() -> new Scratch(true));
    private static volatile boolean loaded;

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private FaissNative.IndexHandle handle;
    private final int dimension;
    private final Metric metric;

    private FaissIndex(FaissNative.IndexHandle handle) {
        if (handle == null || handle.isNull()) {
            throw new IllegalStateException("FAISS returned no index");
        }
        this.handle = handle;
        this.dimension = FaissNative.dimension(handle);
        this.metric = Metric.ofFaissCode(FaissNative.metric(handle));
    }

    /** Loads the JNI layer once; a missing shared library becomes an error that names the Debian packages. */
    public static void ensureLoaded() {
        if (loaded) {
            return;
        }
        synchronized (LOAD_LOCK) {
            if (!loaded) {
                try {
                    Loader.load(FaissNative.class);
                } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                    throw new FaissUnavailableException("cannot load the FAISS JNI layer (" + e.getMessage() + "). "
                            + "It links Debian's libfaiss and needs OpenBLAS and OpenMP at run time: "
                            + "apt-get install libfaiss-dev libopenblas0-pthread libgomp1 (./vap setup does this)", e);
                }
                loaded = true;
            }
        }
    }

    public static FaissIndex flat(int dimension, Metric metric) {
        ensureLoaded();
        return new FaissIndex(FaissNative.new_flat(dimension, metric.faissCode()));
    }

    /** IVF with {@code nlist} inverted lists, searching {@code nprobe} of them; {@link #train} before adding. */
    public static FaissIndex ivf(int dimension, Metric metric, int nlist, int nprobe) {
        ensureLoaded();
        if (nlist < 1 || nprobe < 1) {
            throw new IllegalArgumentException("IVF needs nlist >= 1 and nprobe >= 1, got " + nlist + ", " + nprobe);
        }
        return new FaissIndex(FaissNative.new_ivf_flat(dimension, nlist, metric.faissCode(), nprobe));
    }

    /** Takes ownership of a native index made elsewhere in this package (the GPU indexes of the faiss-gpu profile). */
    static FaissIndex wrap(FaissNative.IndexHandle handle) {
        return new FaissIndex(handle);
    }

    /** Reads an index written by {@link #write}. */
    public static FaissIndex read(Path file) {
        ensureLoaded();
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException(new IOException("no FAISS index file at " + file));
        }
        return new FaissIndex(FaissNative.read_index(file.toAbsolutePath().toString()));
    }

    /** OpenMP threads FAISS uses inside one call (process-wide). */
    public static void setThreads(int threads) {
        ensureLoaded();
        FaissNative.set_threads(threads);
    }

    public static int threads() {
        ensureLoaded();
        return FaissNative.max_threads();
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public Metric metric() {
        return metric;
    }

    public boolean isIvf() {
        return withRead(() -> FaissNative.is_ivf(live()));
    }

    public boolean isTrained() {
        return withRead(() -> FaissNative.is_trained(live()));
    }

    public void setNprobe(int nprobe) {
        withWrite(() -> {
            FaissNative.set_nprobe(live(), nprobe);
            return null;
        });
    }

    @Override
    public long size() {
        return withRead(() -> FaissNative.ntotal(live()));
    }

    /** Learns the IVF coarse centroids from {@code vectors} (at least nlist of them; about 40 x nlist is better). */
    @Override
    public void train(float[] vectors) {
        int n = rows(vectors);
        withWrite(() -> {
            try (FloatPointer x = new FloatPointer(vectors)) {
                FaissNative.train(live(), n, x);
            }
            return null;
        });
    }

    @Override
    public void add(long[] ids, float[] vectors) {
        if (ids.length != rows(vectors)) {
            throw new IllegalArgumentException(ids.length + " ids for " + rows(vectors) + " vectors");
        }
        add(ids, vectors, 0, ids.length);
    }

    /** Adds rows {@code from} (inclusive) to {@code to} (exclusive) of {@code vectors}, with ids[from..to), copied once. */
    public void add(long[] ids, float[] vectors, int from, int to) {
        int n = to - from;
        if (ids.length < to || rows(vectors) < to || n < 0) {
            throw new IllegalArgumentException("rows " + from + ".." + to + " asked of " + ids.length + " ids and "
                    + vectors.length / dimension + " vectors");
        }
        if (n == 0) {
            return;
        }
        withWrite(() -> {
            if (!FaissNative.is_trained(live())) {
                throw new IllegalStateException("this IVF index is not trained yet: train it before adding vectors");
            }
            Scratch scratch = Scratch.forThread(n * dimension, n);
            try {
                scratch.add(live(), vectors, from * dimension, n * dimension, ids, from, n);
            } finally {
                scratch.release();
            }
            return null;
        });
    }

    @Override
    public long remove(long[] ids) {
        if (ids.length == 0) {
            return 0;
        }
        return withWrite(() -> {
            try (LongPointer l = new LongPointer(ids)) {
                return FaissNative.remove_ids(live(), ids.length, l);
            }
        });
    }

    @Override
    public SearchHits search(float[] queries, int k) {
        int n = rows(queries);
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        float[] distances = new float[n * k];
        long[] labels = new long[n * k];
        if (n > 0) {
            withRead(() -> {
                Scratch scratch = Scratch.forThread(queries.length, n * k);
                try {
                    scratch.search(live(), queries, n, k, distances, labels);
                } finally {
                    scratch.release();
                }
                return null;
            });
        }
        long[][] ids = new long[n][k];
        float[][] scores = new float[n][k];
        for (int q = 0; q < n; q++) {
            for (int r = 0; r < k; r++) {
                long id = labels[q * k + r];
                ids[q][r] = id;
                scores[q][r] = id < 0 ? metric.worst() : metric.score(distances[q * k + r]);
            }
        }
        return new SearchHits(metric, ids, scores);
    }

    /**
     * Native memory for the vectors, distances and ids of one call, grown on demand. Allocating JavaCPP pointers
     * (and faulting in fresh pages) costs more than a single-query search over a small index, so each thread
     * keeps one set for calls up to {@link #REUSED_BUFFER_FLOATS}; larger calls get a set of their own.
     */
    private static final class Scratch {
        private FloatPointer vectors = new FloatPointer(0L);
        private FloatPointer distances = new FloatPointer(0L);
        private LongPointer ids = new LongPointer(0L);
        private final boolean reused;

        private Scratch(boolean reused) {
            this.reused = reused;
        }

        static Scratch forThread(int floats, int results) {
            return floats <= REUSED_BUFFER_FLOATS && results <= REUSED_BUFFER_FLOATS ? SCRATCH.get() : new Scratch(false);
        }

        void add(FaissNative.IndexHandle index, float[] x, int offset, int length, long[] l, int from, int n) {
            ensure(length, n, 0);
            vectors.position(0).put(x, offset, length);
            ids.position(0).put(l, from, n);
            FaissNative.add_with_ids(index, n, vectors, ids);
        }

        void search(FaissNative.IndexHandle index, float[] x, int n, int k, float[] d, long[] l) {
            ensure(x.length, n * k, n * k);
            vectors.position(0).put(x, 0, x.length);
            FaissNative.search(index, n, vectors, k, distances, ids);
            distances.position(0).get(d, 0, n * k);
            ids.position(0).get(l, 0, n * k);
        }

        private void ensure(long floats, long longs, long results) {
            if (vectors.capacity() < floats) {
                vectors.close();
                vectors = new FloatPointer(floats);
            }
            if (ids.capacity() < longs) {
                ids.close();
                ids = new LongPointer(longs);
            }
            if (distances.capacity() < results) {
                distances.close();
                distances = new FloatPointer(results);
            }
        }

        /** Frees a one-off set at once; a thread's own set stays for its next call. */
        void release() {
            if (!reused) {
                vectors.close();
                distances.close();
                ids.close();
            }
        }
    }

    public void reset() {
        withWrite(() -> {
            FaissNative.reset(live());
            return null;
        });
    }

    /** Writes the index with FAISS's own format (write_index); {@link #read} loads it back. */
    @Override
    public void write(Path file) {
        withRead(() -> {
            FaissNative.write_index(live(), file.toAbsolutePath().toString());
            return null;
        });
    }

    private int rows(float[] vectors) {
        if (vectors.length % dimension != 0) {
            throw new IllegalArgumentException(vectors.length + " floats is not a whole number of "
                    + dimension + "-d vectors");
        }
        return vectors.length / dimension;
    }

    private FaissNative.IndexHandle live() {
        if (handle == null) {
            throw new IllegalStateException("this FAISS index is closed");
        }
        return handle;
    }

    private <T> T withRead(java.util.function.Supplier<T> body) {
        lock.readLock().lock();
        try {
            return body.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private <T> T withWrite(java.util.function.Supplier<T> body) {
        lock.writeLock().lock();
        try {
            return body.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (handle != null) {
                FaissNative.free_index(handle);
                handle = null;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
