package vap.bench.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a phase's CPU went: CPU time per thread of this JVM between {@link #start()} and {@link #stop()} (Linux's
 * /proc/self/task), summed per stage (the stage a thread works for, from its name), against the process's CPU over
 * the same span; and the CPU of child processes (the embedded PostgreSQL, the RTSP server). Native threads the JVM
 * did not name (PyTorch/oneDNN, FFmpeg) count as "native pools".
 */
final class ThreadCpu {
    private final Map<String, Long> startTicks = new HashMap<>();
    private final Map<String, Long> lastTicks = new HashMap<>();
    private final Map<String, String> names = new HashMap<>();
    private final Map<Long, Long> childStartTicks = new HashMap<>();
    private final Map<Long, Long> childLastTicks = new HashMap<>();
    private final Map<Long, String> childNames = new HashMap<>();
    private long processStart;
    private long wallStart;

    private ThreadCpu() {
    }

    static ThreadCpu start() {
        ThreadCpu t = new ThreadCpu();
        t.processStart = processCpuNanos();
        t.wallStart = System.nanoTime();
        t.sample();
        t.startTicks.putAll(t.lastTicks);
        t.childStartTicks.putAll(t.childLastTicks);
        return t;
    }

    /** Reads every thread's CPU now: call before threads end (a camera closed, a service stopped) to keep theirs. */
    void sample() {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                String tid = task.getFileName().toString();
                long ticks = ticks(task.resolve("stat"));
                if (ticks >= 0) {
                    lastTicks.put(tid, ticks);
                    names.computeIfAbsent(tid, k -> comm(task));
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // not Linux: only the process total is reported
        }
        ProcessHandle.current().descendants().forEach(p -> {
            long ticks = ticks(Path.of("/proc/" + p.pid() + "/stat"));
            if (ticks >= 0) {
                childLastTicks.put(p.pid(), ticks);
                childNames.computeIfAbsent(p.pid(), k -> p.info().command()
                        .map(c -> c.substring(c.lastIndexOf('/') + 1)).orElse("pid " + k));
            }
        });
    }

    /** CPU seconds per stage since {@link #start()}, plus the process total, other processes and the wall time. */
    Result stop() {
        sample();
        Map<String, Double> byStage = new LinkedHashMap<>();
        double listed = 0;
        for (var e : lastTicks.entrySet()) {
            double sec = (e.getValue() - startTicks.getOrDefault(e.getKey(), 0L)) / (double) CLOCK_TICKS;
            byStage.merge(stage(names.get(e.getKey())), sec, Double::sum);
            listed += sec;
        }
        double process = (processCpuNanos() - processStart) / 1e9;
        if (process - listed > 0.05 * process) {
            byStage.put("ended threads", process - listed);
        }
        Map<String, Double> outside = new LinkedHashMap<>();
        childLastTicks.forEach((pid, ticks) -> outside.merge(childNames.get(pid),
                (ticks - childStartTicks.getOrDefault(pid, 0L)) / (double) CLOCK_TICKS, Double::sum));
        return new Result(byStage, process, outside, (System.nanoTime() - wallStart) / 1e9);
    }

    /** Linux's USER_HZ, the unit of /proc's utime and stime. */
    private static final int CLOCK_TICKS = 100;

    /** utime + stime from a /proc stat file, -1 where it cannot be read. */
    private static long ticks(Path stat) {
        try {
            String line = Files.readString(stat);
            String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of the whole line
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The thread's name as the kernel has it: a Java thread's name cut to 15 characters, "java" for native pools. */
    private static String comm(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    /** The stage a thread works for, by the names the services give their threads (cut to 15 characters). */
    static String stage(String thread) {
        String t = thread == null ? "?" : thread.toLowerCase(Locale.ROOT);
        if (t.equals("java")) {
            return "native pools"; // threads the JVM did not name: PyTorch/oneDNN's and FFmpeg's own
        }
        if (t.startsWith("gc ") || t.startsWith("g1 ") || t.contains("compilerthre") || t.startsWith("vm ")) {
            return "JVM (GC, JIT)";
        }
        if (t.startsWith("camera-") || t.contains("ingest") || t.contains("rtsp") || t.contains("playout")) {
            return "ingest";
        }
        if (t.startsWith("detector")) {
            return "detector";
        }
        if (t.startsWith("recognizer") || t.contains("gallery") || t.contains("feedback") || t.contains("faiss")) {
            return "recognizer";
        }
        if (t.contains("streamthread") || t.contains("vap-alerts")) {
            return "alerts";
        }
        if (t.startsWith("sinks") || t.contains("sink")) {
            return "sinks";
        }
        if (t.startsWith("kafka-producer") || t.startsWith("kafka-coordinator")
                || t.contains("consumer") || t.contains("heartbeat")) {
            return "kafka clients";
        }
        if (t.contains("request-handler") || t.contains("network-thread") || t.startsWith("data-plane")
                || t.contains("kafka") || t.contains("raft") || t.contains("log-cleaner") || t.contains("replica")
                || t.contains("broker") || t.contains("controller") || t.contains("quorum")) {
            return "kafka broker";
        }
        if (t.contains("registry") || t.startsWith("qtp") || t.contains("jetty")) {
            return "registry";
        }
        return "other";
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }

    /** CPU seconds per stage over {@code wallSeconds}; {@code processSeconds} is the whole JVM's. */
    record Result(Map<String, Double> byStage, double processSeconds, Map<String, Double> outside, double wallSeconds) {
        double of(String stage) {
            return byStage.getOrDefault(stage, 0.0);
        }

        /** One line: each stage's CPU seconds per unit of work (e.g. per frame), largest first. */
        String perUnit(double units, String unit) {
            List<String> parts = new ArrayList<>();
            byStage.entrySet().stream().filter(e -> e.getValue() >= 0.005 * Math.max(1e-9, processSeconds))
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> parts.add(String.format(Locale.ROOT, "%s %.0f ms (%.0f%%)", e.getKey(),
                            1000 * e.getValue() / Math.max(1, units), 100 * e.getValue() / Math.max(1e-9, processSeconds))));
            List<String> others = new ArrayList<>();
            outside.entrySet().stream().filter(e -> e.getValue() >= 0.01)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> others.add(String.format(Locale.ROOT, "%s %.0f ms", e.getKey(), 1000 * e.getValue() / Math.max(1, units))));
            return String.format(Locale.ROOT, "CPU per %s %.0f ms (JVM %.1f CPU-s in %.1f s wall = %.2f cores): %s%s", unit,
                    1000 * processSeconds / Math.max(1, units), processSeconds, wallSeconds, processSeconds / wallSeconds,
                    String.join(", ", parts), others.isEmpty() ? "" : "; other processes: " + String.join(", ", others));
        }
    }
}
