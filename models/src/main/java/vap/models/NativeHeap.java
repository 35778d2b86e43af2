package vap.models;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps glibc from handing the memory of PyTorch's freed tensors back to the kernel between network passes.
 * Every DJL operator allocates its output (1-5 MB for R-Net's and O-Net's first feature maps); with glibc's
 * defaults those blocks are returned to the kernel when freed (munmap, or trimming the top of the heap) and the
 * next pass faults every page in again, zero-filled. Measured on MTCNN at AVX512_CORE_BF16 (issue 14): R-Net over
 * 95 crops 11.8 -> 8.8 ms, O-Net over 18 crops 15.4 -> 9.1 ms of CPU per pass. The process then holds its peak
 * native heap instead of returning it.
 *
 * <p>Process-wide, so it is set once, on Linux only, and not when the environment already tunes malloc
 * ({@code MALLOC_MMAP_THRESHOLD_}, {@code MALLOC_TRIM_THRESHOLD_}, {@code GLIBC_TUNABLES}: the user's choice).
 */
public final class NativeHeap {
    private static final Logger log = LoggerFactory.getLogger(NativeHeap.class);
    /** mallopt parameters from glibc's malloc.h. */
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_MMAP_THRESHOLD = -3;
    /** Blocks up to this size come from the heap, not their own mmap: glibc's ceiling for it on 64-bit. */
    static final int MMAP_THRESHOLD = 32 << 20;
    /** Free memory at the top of a heap kept for reuse instead of being returned. */
    static final int TRIM_THRESHOLD = 128 << 20;

    private static boolean configured;

    private NativeHeap() {
    }

    /** Sets glibc's thresholds once per process; a no-op elsewhere or when the environment sets them. */
    public static synchronized void keepFreedMemory() {
        if (configured) {
            return;
        }
        configured = true;
        if (!Platform.isLinux() || System.getenv("MALLOC_MMAP_THRESHOLD_") != null
                || System.getenv("MALLOC_TRIM_THRESHOLD_") != null || System.getenv("GLIBC_TUNABLES") != null) {
            return;
        }
        try {
            CLibrary libc = Native.load("c", CLibrary.class);
            boolean ok = libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
                    & libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1;
            log.debug("malloc thresholds for tensors: mmap {} MB, trim {} MB: {}", MMAP_THRESHOLD >> 20,
                    TRIM_THRESHOLD >> 20, ok ? "set" : "refused");
        } catch (LinkageError e) {
            // Not glibc (no mallopt): the defaults stay, only slower.
            log.debug("mallopt unavailable, malloc defaults kept: {}", e.toString());
        }
    }

    /** The one libc function used. */
    interface CLibrary extends Library {
        int mallopt(int param, int value);
    }
}
