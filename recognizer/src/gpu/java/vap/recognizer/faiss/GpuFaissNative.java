package vap.recognizer.faiss;

import org.bytedeco.javacpp.annotation.Namespace;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * GPU indexes (GpuIndexFlatIP/L2, IndexShards over all GPUs), compiled only by the faiss-gpu Maven profile
 * against a CUDA build of FAISS. NOT VERIFIED: written without a GPU or a CUDA FAISS to build against.
 * GPU flat indexes cannot remove vectors: erasing from them means rebuilding the index.
 */
@Platform(value = "linux-x86_64", include = {"vap_faiss.h", "vap_faiss_gpu.h"},
        link = {"gomp", "cublas", "cudart", "openblas", "faiss"}, compiler = "cpp11")
@Namespace("vapfaiss")
final class GpuFaissNative {
    private GpuFaissNative() {
    }

    static native int gpu_count();

    static native FaissNative.IndexHandle new_gpu_flat(int device, int d, int metric);

    static native FaissNative.IndexHandle new_gpu_sharded_flat(int d, int metric);
}
