package vap.models;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where the networks run: "cpu" (default) or "gpu" / "gpu:N". The PyTorch engine is offline here:
 * the native library comes from the pytorch-native-cpu jar, never from the network.
 */
public final class InferenceDevice {
    private static final String SAFE_CPU_ISA = "SSE41";
    private static final AtomicBoolean ISA_WARNED = new AtomicBoolean();

    static {
        // Belt and braces for programs started without the launcher script: never download the engine.
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
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
     * Warns (once per process) unless oneDNN is capped at SSE4.1: above it, PyTorch 2.7.1's oneDNN miscomputes
     * batched and large convolutions on this project's AVX-512 CPUs, with AVX2 and AVX as well (detector/README.md,
     * "CPU numerics"). Only a warning, since the variable is read when the engine starts and cannot be set from here.
     */
    public static void checkCpuIsa() {
        String isa = System.getenv("DNNL_MAX_CPU_ISA");
        if ((isa == null || !isa.trim().equalsIgnoreCase(SAFE_CPU_ISA)) && ISA_WARNED.compareAndSet(false, true)) {
            LoggerFactory.getLogger(InferenceDevice.class).warn("DNNL_MAX_CPU_ISA is {}: on AVX-512 machines PyTorch "
                    + "2.7.1's oneDNN gives wrong convolution results above SSE41 (see detector/README.md, \"CPU "
                    + "numerics\"); start the JVM with DNNL_MAX_CPU_ISA=SSE41 (./vap exports it)",
                    isa == null || isa.isBlank() ? "not set" : isa);
        }
    }
}
