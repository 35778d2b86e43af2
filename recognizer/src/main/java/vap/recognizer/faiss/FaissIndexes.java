package vap.recognizer.faiss;

import vap.recognizer.index.IndexFactory;
import vap.recognizer.index.Metric;

import java.nio.file.Path;

/** FAISS indexes (CPU) for the watchlist, behind {@link IndexFactory}. */
public final class FaissIndexes implements IndexFactory {
    @Override
    public FaissIndex flat(int dimension, Metric metric) {
        return FaissIndex.flat(dimension, metric);
    }

    @Override
    public FaissIndex ivf(int dimension, Metric metric, int nlist, int nprobe) {
        return FaissIndex.ivf(dimension, metric, nlist, nprobe);
    }

    @Override
    public FaissIndex read(Path file) {
        return FaissIndex.read(file);
    }
}
