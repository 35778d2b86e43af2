package vap.recognizer.faiss;

import org.bytedeco.javacpp.Loader;
import vap.recognizer.index.Metric;

/**
 * Flat FAISS indexes on GPUs (faiss-gpu profile only; NOT VERIFIED, see GpuFaissNative). They are FaissIndex
 * objects like the CPU ones: same search, add and write; remove is not supported by FAISS's GPU flat index.
 */
public final class GpuIndexes {
    private GpuIndexes() {
    }

    public static int gpuCount() {
        load();
        return GpuFaissNative.gpu_count();
    }

    /** A GpuIndexFlatIP or GpuIndexFlatL2 on one device. */
    public static FaissIndex flat(int device, int dimension, Metric metric) {
        load();
        return FaissIndex.wrap(GpuFaissNative.new_gpu_flat(device, dimension, metric.faissCode()));
    }

    /** One flat index per GPU under IndexShards, searched in parallel with FAISS merging the top-k. */
    public static FaissIndex shardedFlat(int dimension, Metric metric) {
        load();
        return FaissIndex.wrap(GpuFaissNative.new_gpu_sharded_flat(dimension, metric.faissCode()));
    }

    private static void load() {
        FaissIndex.ensureLoaded();
        Loader.load(GpuFaissNative.class);
    }
}
