package vap.bench.ingest;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vap.core.cli.VapSubcommand;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code vap ingest bench}: frames per CPU-second for 640x480 and 1280x720 H.264, side by side with Debian's
 * ffmpeg, cameras per core at 5 fps, memory per camera. Prints a markdown report. For a one-core figure on a
 * busy machine run it under {@code taskset -c 0}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark ingest against Debian's ffmpeg: frames/CPU-s, cameras per core, memory per camera.")
public final class IngestBenchCommand implements VapSubcommand {
    @Option(names = "--sizes", split = ",", defaultValue = "640x480,1280x720", description = "Test video sizes (default ${DEFAULT-VALUE}).")
    List<String> sizes;
    @Option(names = "--seconds", defaultValue = "20", description = "Length of each test video at 25 fps (default ${DEFAULT-VALUE}).")
    int seconds;
    @Option(names = "--rounds", defaultValue = "3", description = "Interleaved rounds; the best of each is kept (default ${DEFAULT-VALUE}).")
    int rounds;
    @Option(names = "--quality", defaultValue = "85", description = "Ingest JPEG quality (default ${DEFAULT-VALUE}).")
    int quality;
    @Option(names = "--ffmpeg-q", defaultValue = "3", description = "ffmpeg -q:v for the reference (default ${DEFAULT-VALUE}).")
    int ffmpegQ;
    @Option(names = "--sample-fps", defaultValue = "5", description = "Published fps of the cameras-per-core case (default ${DEFAULT-VALUE}).")
    double sampleFps;
    @Option(names = "--memory-cameras", defaultValue = "8", description = "Cameras of the memory case, 0 to skip (default ${DEFAULT-VALUE}).")
    int memoryCameras;
    @Option(names = "--memory-seconds", defaultValue = "15", description = "Duration of the memory case (default ${DEFAULT-VALUE}).")
    int memorySeconds;
    @Option(names = "--input", description = "A real H.264 file to use instead of generated test videos.")
    Path input;
    @Option(names = "--work-dir", defaultValue = ".vap/ingest-bench", description = "Where test videos go (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Override
    public String parent() {
        return "ingest";
    }

    @Override
    public Integer call() throws Exception {
        new IngestBench(new IngestBench.Options(sizes, seconds, rounds, quality, ffmpegQ, sampleFps, memoryCameras,
                memorySeconds, input, workDir), System.out).run();
        return 0;
    }
}
