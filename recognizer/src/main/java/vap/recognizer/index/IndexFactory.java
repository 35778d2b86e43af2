package vap.recognizer.index;

import java.nio.file.Path;

/** Makes and reads back the indexes a watchlist is built from; FAISS (FaissIndexes) is the one kind today. */
public interface IndexFactory {
    /** An exact index. */
    VectorIndex flat(int dimension, Metric metric);

    /** An inverted-list index of {@code nlist} lists, searching {@code nprobe}; trained before vectors are added. */
    VectorIndex ivf(int dimension, Metric metric, int nlist, int nprobe);

    /** An index written by {@link VectorIndex#write}. */
    VectorIndex read(Path file);
}
