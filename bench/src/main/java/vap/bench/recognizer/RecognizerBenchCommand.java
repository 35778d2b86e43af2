package vap.bench.recognizer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vap.core.cli.VapSubcommand;

import java.util.List;

/** {@code vap recognizer bench}: the recognizer benchmark (README "Benchmark"). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark the recognizer: embeddings and ages per second (batched vs unbatched), FAISS search "
                + "and add throughput side by side with Debian's python3-faiss, snapshot load time.",
                "  vap recognizer bench", "  vap recognizer bench --sizes 10000,100000 --no-models"})
public final class RecognizerBenchCommand implements VapSubcommand {
    @Option(names = "--sizes", split = ",", description = "Index sizes (default: 10000,100000,1000000).")
    List<Integer> sizes = List.of(10_000, 100_000, 1_000_000);

    @Option(names = "--snapshot-sizes", split = ",", description = "Watchlist sizes for the snapshot timing (default: 100000,1000000).")
    List<Integer> snapshotSizes = List.of(100_000, 1_000_000);

    @Option(names = "--seconds", defaultValue = "2", description = "Seconds per timed round (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--rounds", defaultValue = "5", description = "Alternating rounds; the best of each side counts (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--no-models", description = "Skip the embedding and age networks.")
    boolean noModels;

    @Option(names = "--no-index", description = "Skip FAISS and the snapshot.")
    boolean noIndex;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with Debian's python3-faiss (default: ${DEFAULT-VALUE}).")
    String python;

    @Override
    public String parent() {
        return "recognizer";
    }

    @Override
    public Integer call() throws Exception {
        RecognizerBench.Options d = RecognizerBench.Options.defaults();
        new RecognizerBench(new RecognizerBench.Options(sizes, d.k(), d.batch(), d.batch1M(), seconds, rounds, d.faces(),
                d.modelBatch(), snapshotSizes, python, !noModels, !noIndex), System.out).run();
        return 0;
    }
}
