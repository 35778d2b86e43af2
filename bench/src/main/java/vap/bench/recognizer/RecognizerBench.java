package vap.bench.recognizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.opencv.opencv_core.Mat;
import vap.models.InferenceDevice;
import vap.recognizer.age.AgeEstimator;
import vap.recognizer.age.SsrNetGraph;
import vap.recognizer.embed.EmbedConfig;
import vap.recognizer.embed.FaceEmbedder;
import vap.recognizer.embed.FaceEmbeddingNet;
import vap.recognizer.faiss.FaissIndex;
import vap.recognizer.index.Metric;
import vap.recognizer.index.SearchHits;
import vap.recognizer.watchlist.Identity;
import vap.recognizer.watchlist.Watchlist;
import vap.recognizer.watchlist.WatchlistConfig;
import vap.recognizer.watchlist.WatchlistSnapshot;
import vap.testsupport.RandomVectors;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

/**
 * The recognizer's benchmark (not a test): embeddings and ages per second, batched against unbatched; FAISS
 * search and add throughput at 10k / 100k / 1M vectors side by side with Debian's python3-faiss on the same
 * data in the same run; and snapshot load time. Figures are ratios against those references: machines are
 * shared and noisy. Run: {@code ./vap recognizer bench} or {@code java ... vap.recognizer.bench.RecognizerBench}.
 * <p>Over 300 lines because each section runs its reference (python3-faiss, the unbatched path) side by side in the same method.
 */
public final class RecognizerBench {
    /** What to run; sizes in vectors. */
    public record Options(List<Integer> indexSizes, int k, int batch, int batch1M, double seconds, int rounds,
                          int faces, int modelBatch, List<Integer> snapshotSizes, String python, boolean models,
                          boolean index) {
        public static Options defaults() {
            return new Options(List.of(10_000, 100_000, 1_000_000), 10, 1000, 256, 2.0, 5, 32, 16,
                    List.of(100_000, 1_000_000), "/usr/bin/python3", true, true);
        }
    }

    private static final int D = 128;
    private final Options options;
    private final PrintStream out;
    private final int cores = Runtime.getRuntime().availableProcessors();

    public RecognizerBench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        new RecognizerBench(Options.defaults(), System.out).run();
    }

    public void run() throws Exception {
        InferenceDevice.requestThreads(1); // the services' default; -Dai.djl.pytorch.num_threads=N to compare
        out.printf("recognizer benchmark: %d cores, %s, DNNL_MAX_CPU_ISA=%s, PyTorch threads per pass %s, FAISS OpenMP "
                        + "threads %d, load average %.2f; "
                        + "[per CPU second] figures count the process's CPU time on all threads, so they hold up on a busy "
                        + "machine%n",
                cores, System.getProperty("os.arch"), System.getenv().getOrDefault("DNNL_MAX_CPU_ISA", "(not set)"),
                System.getProperty(InferenceDevice.PYTORCH_THREADS), FaissIndex.threads(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        if (options.models()) {
            models();
        }
        if (options.index()) {
            warmUpIndex();
            for (int n : options.indexSizes()) {
                index(n);
            }
            for (int n : options.snapshotSizes()) {
                snapshot(n);
            }
        }
        out.printf("load average at the end: %.2f%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private void models() {
        InferenceDevice.checkCpuIsa();
        List<Mat> crops150 = noise(options.faces(), FaceEmbeddingNet.INPUT_SIZE);
        List<Mat> crops64 = noise(options.faces() * 4, SsrNetGraph.INPUT_SIZE);
        try (FaceEmbeddingNet net = new FaceEmbeddingNet(InferenceDevice.parse("cpu"))) {
            FaceEmbedder single = new FaceEmbedder(net, 1);
            FaceEmbedder batched = new FaceEmbedder(net, options.modelBatch());
            single.embed(crops150.subList(0, 4)); // warm-up: first passes allocate and pick kernels
            batched.embed(crops150.subList(0, options.modelBatch()));
            Rate unbatched = bestRate(() -> single.embed(crops150), crops150.size());
            Rate batchedRate = bestRate(() -> batched.embed(crops150), crops150.size());
            out.printf("embeddings (best of %d): unbatched %.1f/s [%.1f per CPU second], batch %d %.1f/s [%.1f per CPU "
                            + "second]: batched/unbatched %.2f [%.2f]%n", options.rounds(), unbatched.wall, unbatched.cpu,
                    options.modelBatch(), batchedRate.wall, batchedRate.cpu, batchedRate.wall / unbatched.wall,
                    batchedRate.cpu / unbatched.cpu);
        }
        // What the recognizer pays per embedded face at the default recognizer.embed.* (the 68-point re-alignment
        // and the mirror's second pass on top of the network); noise crops: the landmark net runs, the warp is skipped.
        EmbedConfig embed = EmbedConfig.defaults();
        try (FaceEmbedder configured = embed.embedder(new FaceEmbeddingNet(InferenceDevice.parse("cpu")), options.modelBatch())) {
            configured.embed(crops150.subList(0, options.modelBatch()));
            Rate rate = bestRate(() -> configured.embed(crops150), crops150.size());
            out.printf("embedded faces at the default recognizer.embed.* (%s), batch %d: %.1f/s [%.1f per CPU second]%n",
                    embed.describe().trim(), options.modelBatch(), rate.wall, rate.cpu);
        }
        try (SsrNetGraph graph = new SsrNetGraph(InferenceDevice.parse("cpu"))) {
            AgeEstimator single = new AgeEstimator(graph, 1);
            AgeEstimator batched = new AgeEstimator(graph, options.modelBatch() * 4);
            single.estimate(crops64.subList(0, 16));
            batched.estimate(crops64);
            Rate unbatched = bestRate(() -> single.estimate(crops64), crops64.size());
            Rate batchedRate = bestRate(() -> batched.estimate(crops64), crops64.size());
            out.printf("ages (best of %d): unbatched %.1f/s [%.1f per CPU second], batch %d %.1f/s [%.1f per CPU "
                            + "second]: batched/unbatched %.2f [%.2f]%n", options.rounds(), unbatched.wall, unbatched.cpu,
                    options.modelBatch() * 4, batchedRate.wall, batchedRate.cpu, batchedRate.wall / unbatched.wall,
                    batchedRate.cpu / unbatched.cpu);
        }
        crops150.forEach(Mat::close);
        crops64.forEach(Mat::close);
    }

    /** JIT-compiles the Java side of add and search before anything is timed. */
    private void warmUpIndex() {
        float[] data = RandomVectors.unit(10_000, D, 9);
        long[] ids = new long[10_000];
        Arrays.setAll(ids, i -> i);
        try (FaissIndex index = FaissIndex.flat(D, Metric.IP)) {
            for (int s = 0; s < 10_000; s += 1000) {
                index.add(ids, data, s, s + 1000);
            }
            for (int i = 0; i < 2000; i++) {
                index.search(Arrays.copyOfRange(data, (i % 1000) * D, (i % 1000 + 1) * D), options.k());
            }
            index.search(Arrays.copyOf(data, 1000 * D), options.k());
        }
    }

    private void index(int n) throws IOException, InterruptedException {
        int batch = n >= 1_000_000 ? options.batch1M() : options.batch();
        float[] data = RandomVectors.unit(n, D, 1);
        float[] queries = RandomVectors.unit(Math.max(batch, 1000), D, 2);
        Path dir = Files.createTempDirectory("vap-bench");
        try {
            Path dataFile = dir.resolve("data.f32");
            Path queryFile = dir.resolve("queries.f32");
            writeFloats(dataFile, data);
            writeFloats(queryFile, queries);
            long[] ids = new long[n];
            Arrays.setAll(ids, i -> i);
            try (FaissIndex index = FaissIndex.flat(D, Metric.IP)) {
                long t0 = System.nanoTime();
                long c0 = cpuNanos();
                for (int s = 0; s < n; s += 1000) {
                    index.add(ids, data, s, Math.min(n, s + 1000));
                }
                long addNanos = System.nanoTime() - t0;
                double addRate = n / (addNanos / 1e9);
                double addCpuRate = n / (Math.max(1, cpuNanos() - c0) / 1e9);
                int nq = queries.length / D;
                float[][] singles = new float[nq][];
                for (int q = 0; q < nq; q++) {
                    singles[q] = Arrays.copyOfRange(queries, q * D, (q + 1) * D);
                }
                float[] batchQueries = Arrays.copyOf(queries, batch * D);
                try (PythonFaiss python = new PythonFaiss(dataFile, queryFile, n, batch)) {
                    Rate single = Rate.NONE;
                    Rate batched = Rate.NONE;
                    Rate refSingle = Rate.NONE;
                    Rate refBatched = Rate.NONE;
                    // Alternate rounds with the reference so both see the same machine load; keep the best of each.
                    for (int round = 0; round < options.rounds(); round++) {
                        single = single.best(timed(i -> {
                            index.search(singles[i % nq], options.k());
                            return 1;
                        }));
                        refSingle = refSingle.best(Rate.of(python.ask("single")));
                        batched = batched.best(timed(i -> {
                            index.search(batchQueries, options.k());
                            return batch;
                        }));
                        refBatched = refBatched.best(Rate.of(python.ask("batched")));
                    }
                    SearchHits ours = index.search(batchQueries, options.k());
                    JsonNode top1 = python.ask("top1").get("top1");
                    int agree = 0;
                    for (int q = 0; q < batch; q++) {
                        agree += ours.ids()[q][0] == top1.get(q).asLong() ? 1 : 0;
                    }
                    double refAdd = python.added.get("add_per_s").asDouble();
                    double refAddCpu = python.added.get("add_per_cpu_s").asDouble();
                    out.printf("index %,d x %d IP flat, k=%d, best of %d alternating rounds; queries per wall second "
                                    + "[per CPU second]:%n", n, D, options.k(), options.rounds());
                    out.printf("  single query: %.1f [%.1f] vs python3-faiss %.1f [%.1f]: ratio %.2f [%.2f]%n",
                            single.wall, single.cpu, refSingle.wall, refSingle.cpu, single.wall / refSingle.wall,
                            single.cpu / refSingle.cpu);
                    out.printf("  batch of %d: %.0f [%.0f] vs python3-faiss %.0f [%.0f]: ratio %.2f [%.2f]%n", batch,
                            batched.wall, batched.cpu, refBatched.wall, refBatched.cpu, batched.wall / refBatched.wall,
                            batched.cpu / refBatched.cpu);
                    if (addNanos < 200_000_000L) {
                        // Process CPU time ticks in milliseconds or coarser: too short an add cannot be compared.
                        out.printf("  add, batches of 1000: %.0f vectors/s vs python3-faiss %.0f (too short to compare)%n",
                                addRate, refAdd);
                    } else {
                        out.printf("  add, batches of 1000: %.0f [%.0f] vectors/s vs python3-faiss %.0f [%.0f]: ratio %.2f [%.2f]%n",
                                addRate, addCpuRate, refAdd, refAddCpu, addRate / refAdd, addCpuRate / refAddCpu);
                    }
                    out.printf("  same top-1 as python3-faiss for %d/%d queries%n", agree, batch);
                }
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    private void snapshot(int n) throws IOException {
        float[] data = RandomVectors.unit(n, D, 3);
        Path dir = Files.createTempDirectory("vap-bench-snapshot");
        WatchlistConfig config = WatchlistConfig.defaults().withSnapshotDir(dir);
        try {
            List<Watchlist.Change> changes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String id = "identity-" + i;
                changes.add(Watchlist.Change.enrol(new Identity(id, "Person " + i, "bench", Watchlist.indexIdOf(id),
                        Arrays.copyOfRange(data, i * D, (i + 1) * D), 1, Instant.EPOCH)));
            }
            data = null; // let the copy go before the watchlist doubles memory
            long t0 = System.nanoTime();
            try (Watchlist w = new Watchlist(config)) {
                w.apply(changes);
                double enrolSeconds = (System.nanoTime() - t0) / 1e9;
                changes = null;
                t0 = System.nanoTime();
                w.writeSnapshot(dir, java.util.Map.of(0, (long) n));
                double writeSeconds = (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                try (Watchlist loaded = WatchlistSnapshot.read(dir, config).orElseThrow().watchlist()) {
                    double loadSeconds = (System.nanoTime() - t0) / 1e9;
                    long bytes;
                    try (var files = Files.walk(dir)) {
                        bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
                    }
                    out.printf("snapshot of %,d identities (%.0f MB): enrol from records %.2f s, write %.2f s, load %.2f s%n",
                            loaded.size(), bytes / 1e6, enrolSeconds, writeSeconds, loadSeconds);
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Debian's python3-faiss on the same files, driven round by round over its stdin. */
    private final class PythonFaiss implements AutoCloseable {
        private final Path script;
        private final Process process;
        private final java.io.BufferedReader replies;
        private final java.io.Writer commands;
        final JsonNode added;

        PythonFaiss(Path data, Path queries, int n, int batch) throws IOException {
            script = Files.createTempFile("faiss_reference", ".py");
            try (InputStream in = RecognizerBench.class.getResourceAsStream("faiss_reference.py")) {
                Files.write(script, in.readAllBytes());
            }
            process = new ProcessBuilder(options.python(), script.toString(), data.toString(), queries.toString(),
                    Integer.toString(n), Integer.toString(D), Integer.toString(options.k()), Integer.toString(batch),
                    Double.toString(options.seconds()), "IP").redirectError(ProcessBuilder.Redirect.INHERIT).start();
            replies = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()));
            commands = new java.io.OutputStreamWriter(process.getOutputStream());
            added = next();
        }

        JsonNode ask(String command) throws IOException {
            commands.write(command + "\n");
            commands.flush();
            return next();
        }

        private JsonNode next() throws IOException {
            String line = replies.readLine();
            if (line == null) {
                throw new IllegalStateException("the python3-faiss reference stopped (is python3-faiss installed? "
                        + "apt-get install python3-faiss; its errors are above)");
            }
            return new ObjectMapper().readTree(line);
        }

        @Override
        public void close() throws IOException {
            try {
                commands.write("quit\n");
                commands.flush();
                process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                process.destroy();
                Files.deleteIfExists(script);
            }
        }
    }

    /** CPU time of this process, all threads: steadier than wall time on a shared machine. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Queries per wall-clock second and per CPU second of the process (all threads). */
    private record Rate(double wall, double cpu) {
        static final Rate NONE = new Rate(0, 0);

        static Rate of(JsonNode reply) {
            return new Rate(reply.get("qps").asDouble(), reply.get("cpu_qps").asDouble());
        }

        /** The best wall rate and the best CPU rate seen (the least disturbed rounds). */
        Rate best(Rate other) {
            return new Rate(Math.max(wall, other.wall), Math.max(cpu, other.cpu));
        }
    }

    /** Calls {@code step(i)} (which returns how many queries it did) until the time budget is spent. */
    private Rate timed(IntUnaryOperator step) {
        long count = 0;
        long t0 = System.nanoTime();
        long c0 = cpuNanos();
        long budget = (long) (options.seconds() * 1e9);
        int i = 0;
        while (true) {
            count += step.applyAsInt(i++);
            long elapsed = System.nanoTime() - t0;
            if (elapsed >= budget && count > 0) {
                double cpu = Math.max(1, cpuNanos() - c0) / 1e9;
                return new Rate(count / (elapsed / 1e9), count / cpu);
            }
        }
    }

    /** Items per wall second and per CPU second, best of {@code rounds} runs (the least disturbed ones). */
    private Rate bestRate(Runnable work, int items) {
        Rate best = Rate.NONE;
        for (int round = 0; round < options.rounds(); round++) {
            long t0 = System.nanoTime();
            long c0 = cpuNanos();
            work.run();
            best = best.best(new Rate(items / ((System.nanoTime() - t0) / 1e9), items / (Math.max(1, cpuNanos() - c0) / 1e9)));
        }
        return best;
    }

    private static List<Mat> noise(int n, int size) {
        List<Mat> out = new ArrayList<>();
        Random r = new Random(7);
        byte[] pixels = new byte[size * size * 3];
        for (int i = 0; i < n; i++) {
            Mat m = new Mat(size, size, CV_8UC3);
            r.nextBytes(pixels); // content does not change the cost of a forward pass
            m.data().put(pixels);
            out.add(m);
        }
        return out;
    }

    private static void writeFloats(Path file, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        try {
            Files.write(file, b.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
