package vap.models;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where the networks run: "cpu" (default) or "gpu" / "gpu:N". The PyTorch engine is offline here:
 * the native library comes from the pytorch-native-cpu jar, never from the network.
 */
public final class InferenceDevice {
    private static final String SAFE_CPU_ISA = "SSE41";
    private static final AtomicReference<List<String>> CPU_CHECK = new AtomicReference<>();
    private static final AtomicBoolean CHECK_LOGGED = new AtomicBoolean();

    /** DJL's PyTorch threads per forward pass, read once when the engine starts. */
    public static final String PYTORCH_THREADS = "ai.djl.pytorch.num_threads";

    static {
        // Belt and braces for programs started without the launcher script: never download the engine.
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    }

    /**
     * Sets the engine's threads per forward pass ({@code detector.intraop.threads}, {@code
     * recognizer.intraop.threads}; 0 = one per core) unless -D set them; only effective before the first model of
     * the process loads.
     */
    public static void requestThreads(int threads) {
        if (threads > 0 && System.getProperty(PYTORCH_THREADS) == null) {
            System.setProperty(PYTORCH_THREADS, Integer.toString(threads));
        } else if (threads == 0 && System.getProperty(PYTORCH_THREADS) == null) {
            System.setProperty(PYTORCH_THREADS, Integer.toString(Runtime.getRuntime().availableProcessors()));
        }
    }

    private InferenceDevice() {
    }

    public static Device parse(String spec) {
        String s = spec == null ? "cpu" : spec.trim().toLowerCase();
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("gpu") || s.startsWith("gpu:") || s.startsWith("cuda")) {
            int id = s.contains(":") ? Integer.parseInt(s.substring(s.indexOf(':') + 1)) : 0;
            int available = Engine.getInstance().getGpuCount();
            if (id >= available) {
                throw new IllegalArgumentException("device " + spec + " asked for, but the PyTorch engine sees "
                        + available + " GPU(s); use device=cpu or install a CUDA build of the engine");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("unknown device '" + spec + "': use cpu, gpu or gpu:N");
    }

    /**
     * Proves once per process, on this CPU, that the engine's convolutions are right ({@link ConvolutionCheck}),
     * and refuses to go on when they are not: PyTorch 2.7.1's oneDNN has miscomputed batched and large
     * convolutions above SSE4.1 on some of this project's hosts (detector/README.md, "CPU numerics"). The ISA cap
     * is read when the engine starts, so the fix is the environment: ./vap picks a proven one per host.
     */
    public static void checkCpuIsa() {
        // One thread per forward pass unless a service or -D asked otherwise (read when the engine starts, which
        // the check below does): parallelism comes from workers, and on a busy 2-core host PyTorch's per-core
        // threads wait for each other in every layer (recognizer bench: 26 embeddings per CPU-second with 2
        // threads, 103 with 1; README "Benchmarks").
        requestThreads(1);
        NativeHeap.keepFreedMemory();
        List<String> failures = CPU_CHECK.updateAndGet(f -> f != null ? f : ConvolutionCheck.failures(Device.cpu()));
        if (!failures.isEmpty()) {
            String isa = System.getenv("DNNL_MAX_CPU_ISA");
            throw new IllegalStateException("PyTorch's convolutions are wrong on this CPU at DNNL_MAX_CPU_ISA="
                    + (isa == null || isa.isBlank() ? "(not set)" : isa) + ": " + String.join("; ", failures)
                    + ". Start the JVM with DNNL_MAX_CPU_ISA=" + SAFE_CPU_ISA
                    + " (./vap picks a proven setting itself; see detector/README.md, \"CPU numerics\")");
        }
        if (CHECK_LOGGED.compareAndSet(false, true)) {
            LoggerFactory.getLogger(InferenceDevice.class).info("convolutions checked against plain Java at "
                    + "DNNL_MAX_CPU_ISA={}: correct", System.getenv().getOrDefault("DNNL_MAX_CPU_ISA", "(not set)"));
        }
    }
}
