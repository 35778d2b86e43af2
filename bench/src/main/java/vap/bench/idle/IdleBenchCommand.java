package vap.bench.idle;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vap.core.cli.DurationConverter;
import vap.core.cli.VapCommand;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code vap idle-bench}: what idle cameras cost. Ingest and the detector over N looped file cameras showing a
 * static scene, then the same cameras showing people, with motion gating off and on, in one run: process CPU
 * seconds per minute, split into decoding, detection and the rest (README "Benchmarks").
 */
@Command(name = "idle-bench", mixinStandardHelpOptions = true,
        description = "CPU per minute of ingest + detector for cameras on a static scene vs with people, motion gating off and on.")
public final class IdleBenchCommand implements VapCommand {
    @Option(names = "--cameras", defaultValue = "8", description = "Looped file cameras (default ${DEFAULT-VALUE}).")
    int cameras;
    @Option(names = "--fps", defaultValue = "2", description = "Published frames per second per camera (default ${DEFAULT-VALUE}).")
    double fps;
    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "Measured time per case, after a warm-up (default ${DEFAULT-VALUE}).")
    Duration duration;
    @Option(names = "--warmup", defaultValue = "10s", converter = DurationConverter.class,
            description = "Unmeasured time at the start of each case (default ${DEFAULT-VALUE}).")
    Duration warmup;
    @Option(names = "--work-dir", defaultValue = ".vap/idle-bench", description = "Scratch directory (default ${DEFAULT-VALUE}).")
    Path workDir;
    @Option(names = {"-D", "--set"}, description = "Any configuration key=value (detector.*, ingest.*).")
    Map<String, String> extra = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        new IdleBench(new IdleBench.Options(cameras, fps, duration, warmup, workDir.toAbsolutePath(), extra), System.out).run();
        return 0;
    }
}
