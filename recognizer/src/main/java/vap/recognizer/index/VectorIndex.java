package vap.recognizer.index;

import java.nio.file.Path;

/**
 * A searchable set of fixed-length vectors with 64-bit ids: one FAISS index, or several shards merged
 * (ShardedIndex), and later a shard on another node behind the same interface.
 * Vectors travel as one row-major float[] of n x dimension.
 */
public interface VectorIndex extends AutoCloseable {
    int dimension();

    Metric metric();

    long size();

    void add(long[] ids, float[] vectors);

    /** Removes the vectors with these ids; returns how many were there. */
    long remove(long[] ids);

    /** The k closest vectors of each query in {@code queries} (n x dimension). */
    SearchHits search(float[] queries, int k);

    /** Learns what an approximate index needs from sample {@code vectors} (IVF centroids); a no-op for an exact one. */
    void train(float[] vectors);

    /**
     * Writes this index to {@code file} in its own format; its {@link IndexFactory} reads it back.
     *
     * @throws UnsupportedOperationException for an index persisted through its parts (ShardedIndex: write the shards)
     */
    void write(Path file);

    @Override
    void close();
}
