package vap.recognizer.faiss;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Const;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Namespace;
import org.bytedeco.javacpp.annotation.Opaque;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * JNI binding to Debian's static libfaiss.a, generated and compiled by the javacpp Maven plugin
 * (recognizer/pom.xml) from this class and src/main/native/vap_faiss.h. Use {@link FaissIndex}, not this.
 * Link order matters: the linker must see libfaiss.a before the BLAS/LAPACK and OpenMP it calls, and
 * JavaCPP emits {@code link} in reverse, so the list below reads dependencies first.
 */
@Platform(value = "linux-x86_64",
        include = "vap_faiss.h",
        link = {"gomp", "openblas", "faiss"},
        compiler = {"cpp11", "openmp"})
@Namespace("vapfaiss")
final class FaissNative {
    private FaissNative() {
    }

    /** faiss::Index, seen from Java only as a handle. */
    @Opaque
    @Name("::faiss::Index")
    static final class IndexHandle extends Pointer {
        IndexHandle() {
            super((Pointer) null);
        }

        IndexHandle(Pointer p) {
            super(p);
        }
    }

    static native IndexHandle new_flat(int d, int metric);

    static native IndexHandle new_ivf_flat(int d, int nlist, int metric, int nprobe);

    static native void free_index(IndexHandle index);

    static native @Cast("int64_t") long ntotal(@Const IndexHandle index);

    static native int dimension(@Const IndexHandle index);

    static native int metric(@Const IndexHandle index);

    static native @Cast("bool") boolean is_trained(@Const IndexHandle index);

    static native @Cast("bool") boolean is_ivf(@Const IndexHandle index);

    static native void set_nprobe(IndexHandle index, int nprobe);

    static native void train(IndexHandle index, @Cast("int64_t") long n, @Const FloatPointer x);

    static native void add_with_ids(IndexHandle index, @Cast("int64_t") long n, @Const FloatPointer x,
                                    @Cast("const int64_t*") LongPointer ids);

    static native void search(@Const IndexHandle index, @Cast("int64_t") long n, @Const FloatPointer x,
                              @Cast("int64_t") long k, FloatPointer distances, @Cast("int64_t*") LongPointer labels);

    static native @Cast("int64_t") long remove_ids(IndexHandle index, @Cast("int64_t") long n,
                                                   @Cast("const int64_t*") LongPointer ids);

    static native void reset(IndexHandle index);

    static native void write_index(@Const IndexHandle index, String path);

    static native IndexHandle read_index(String path);

    static native void set_threads(int n);

    static native int max_threads();
}
