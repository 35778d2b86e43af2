package vap.models;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Where the networks run: "cpu" (default) or "gpu" / "gpu:N". The PyTorch engine is offline here:
 * the native library comes from the pytorch-native-cpu jar, never from the network.
 */
public final class InferenceDevice {
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

    /** Fails loudly if PyTorch would run with the oneDNN ISA that miscomputes on this machine's AVX-512 CPUs. */
    public static void checkCpuIsa() {
        String isa = System.getenv("DNNL_MAX_CPU_ISA");
        if (isa == null || isa.isBlank()) {
            org.slf4j.LoggerFactory.getLogger(InferenceDevice.class).warn(
                    "DNNL_MAX_CPU_ISA is not set: PyTorch 2.7.1's oneDNN gives wrong convolution results on some "
                            + "CPUs above SSE4.1; start through ./vap (which exports DNNL_MAX_CPU_ISA=SSE41)");
        }
    }
}
