package vap.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service run as its own JVM, exactly as an operator runs it ({@code vap detector -D ...}) with this test's class
 * path, so that it can be killed with SIGKILL: no shutdown hook, no close, no commit.
 */
final class WorkerProcess implements AutoCloseable {
    private final Process process;
    private final String name;

    private WorkerProcess(Process process, String name) {
        this.process = process;
        this.name = name;
    }

    static WorkerProcess start(String command, Map<String, String> settings, Path log) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-da:org.postgresql...",
                "-Dai.djl.offline=true", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=vap.messages",
                "-cp", System.getProperty("java.class.path"), "vap.launcher.Vap", command));
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
            cmd.add(2, "-Dlogback.configurationFile=" + logback);
        }
        settings.forEach((k, v) -> {
            cmd.add("-D");
            cmd.add(k + "=" + v);
        });
        try {
            // The environment (DNNL_MAX_CPU_ISA, DJL_OFFLINE, PYTORCH_*) is inherited from the test JVM.
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            System.out.println("started " + command + " as pid " + p.pid() + ", log " + log);
            return new WorkerProcess(p, command + "(" + p.pid() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL (destroyForcibly on Linux), then wait until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " survived SIGKILL");
        }
        System.out.println("killed " + name + " with SIGKILL, exit " + process.exitValue());
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
